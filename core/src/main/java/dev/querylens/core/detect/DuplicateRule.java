package dev.querylens.core.detect;

/**
 * Duplicate: one SELECT run at least {@code querylens.duplicates.threshold} times in a unit of work with the very
 * same values, paging values included (page 1 and page 2 of a listing are no duplicate).
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
        return sameValues >= threshold;
    }

    @Override
    public Finding finding(StatementStats stats, String endpoint, String table, String callSite) {
        return new Finding(FindingKind.DUPLICATE, endpoint, table, stats.fingerprint.normalized(), stats.maxSameValues,
                null, callSite, FindingKind.DUPLICATE.hint(), null);
    }
}
