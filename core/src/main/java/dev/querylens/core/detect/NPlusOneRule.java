package dev.querylens.core.detect;

import dev.querylens.core.sql.Operation;

/**
 * N+1: one SELECT run at least {@code querylens.nplusone.threshold} times in a unit of work with different key
 * values (paging and keyset values aside: see {@link Detector}). Exact repeats (the same values asked for again) are
 * left out of that count: two keys loaded three times each are duplicates, not a loop over keys. A batch fetch is the fix for N+1, never an N+1
 * itself: executions that each carried two or more keys in a list or an array, while every other value stayed the
 * same. A list that stays the same while another value varies ({@code customer_id = ? and status in ('NEW',
 * 'PAID')} once per customer) is a filter, and the loop over the other value is an N+1.
 */
final class NPlusOneRule implements Rule {
    /** How far back the loop's parent query is looked for. */
    static final int MAX_PARENT_STEPS = 32;

    private final int threshold;

    NPlusOneRule(int threshold) {
        this.threshold = threshold;
    }

    @Override
    public FindingKind kind() {
        return FindingKind.N_PLUS_ONE;
    }

    @Override
    public boolean breaks(StatementStats stats, int sameValues) {
        return stats.fingerprint.operation() == Operation.SELECT && stats.keysVary
                && stats.distinctExecutions() >= threshold
                && !stats.batchFetch(threshold);
    }

    @Override
    public Finding finding(StatementStats stats, String endpoint, String table, CallSite callSite) {
        StatementStats parent = stats.parent(MAX_PARENT_STEPS);
        return new Finding(FindingKind.N_PLUS_ONE, endpoint, table, stats.fingerprint.normalized(), stats.count,
                parent == null ? null : parent.fingerprint.normalized(), callSite.location(),
                callSite.view() ? FindingKind.VIEW_RENDERING_HINT : FindingKind.N_PLUS_ONE.hint(), callSite.details());
    }
}
