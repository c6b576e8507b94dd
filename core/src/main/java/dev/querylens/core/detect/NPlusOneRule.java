package dev.querylens.core.detect;

/**
 * N+1: one SELECT run at least {@code querylens.nplusone.threshold} times in a unit of work with different key
 * values (paging values aside: see {@link Detector}). A batch fetch ({@code IN} list of several values,
 * {@code = ANY (?)}) is the fix for N+1, never an N+1 itself.
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
        return stats.keysVary && stats.count >= threshold && !stats.fingerprint.batchFetch();
    }

    @Override
    public Finding finding(StatementStats stats, String endpoint, String table, String callSite) {
        StatementStats parent = stats.parent(MAX_PARENT_STEPS);
        return new Finding(FindingKind.N_PLUS_ONE, endpoint, table, stats.fingerprint.normalized(), stats.count,
                parent == null ? null : parent.fingerprint.normalized(), callSite, FindingKind.N_PLUS_ONE.hint(), null);
    }
}
