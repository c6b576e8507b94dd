package dev.querylens.core.detect;

/**
 * Unbatched writes: one INSERT, UPDATE, DELETE or MERGE fingerprint executed one statement at a time at least
 * {@code querylens.unbatched-writes.threshold} times in a unit of work. Executions in a JDBC batch (one batch or
 * several smaller ones) do not count, nor do set-based ones: a multi-row {@code VALUES}, a key list or array of two
 * or more keys.
 */
final class UnbatchedWritesRule implements Rule {

    private final int threshold;

    UnbatchedWritesRule(int threshold) {
        this.threshold = threshold;
    }

    @Override
    public FindingKind kind() {
        return FindingKind.UNBATCHED_WRITES;
    }

    @Override
    public boolean breaks(StatementStats stats, int sameValues) {
        return stats.singleWrites >= threshold;
    }

    @Override
    public Finding finding(StatementStats stats, String endpoint, String table, CallSite callSite) {
        return new Finding(FindingKind.UNBATCHED_WRITES, endpoint, table, stats.fingerprint.normalized(),
                stats.singleWrites, null, callSite.location(), FindingKind.UNBATCHED_WRITES.hint(), callSite.details());
    }
}
