package dev.querylens.core.detect;

import dev.querylens.core.sql.Operation;

/**
 * Duplicate: one SELECT run at least {@code querylens.duplicates.threshold} times in a unit of work with the very
 * same values, paging values included (page 1 and page 2 of a listing are no duplicate), on the same DataSource
 * (a shard or tenant fan-out reads different databases). Never a sequence call (each returns a new value) or a
 * locking read (a queue-claim loop gets another row each time). A write to a table the statement reads, or a change
 * of schema or database on a connection, restarts the count (see {@link Detector}).
 */
final class DuplicateRule implements Rule {

    private final int threshold;

    DuplicateRule(int threshold) {
        this.threshold = threshold;
    }

    @Override
    public FindingKind kind() {
        return FindingKind.DUPLICATE;
    }

    @Override
    public boolean breaks(StatementStats stats, int sameValues) {
        return sameValues >= threshold && stats.fingerprint.operation() == Operation.SELECT
                && !Detector.neverDuplicate(stats.fingerprint);
    }

    @Override
    public Finding finding(StatementStats stats, String endpoint, String table, CallSite callSite) {
        return new Finding(FindingKind.DUPLICATE, endpoint, table, stats.fingerprint.normalized(), stats.maxSameValues,
                null, callSite.location(), FindingKind.DUPLICATE.hint(), callSite.details());
    }
}
