package dev.querylens.core.sql;


/**
 * The shape of a statement: its SQL with every literal and bind marker replaced by {@code ?}, lists collapsed,
 * comments removed and case and whitespace normalised. Statements that differ only in values share one
 * fingerprint; {@link SqlFingerprinter} hands out one canonical instance per normalized text (and flags: an
 * {@code IN (?)} that had one element and one that had many differ in {@link #batchFetch()}), so identity
 * comparison is the fast path of {@link #equals}.
 */
public final class Fingerprint {
    private final String normalized;
    private final Operation operation;
    private final String table;
    private final boolean batchFetch;
    private final boolean paged;
    private final boolean truncated;
    private final String problem;

    public Fingerprint(String normalized, Operation operation, String table, boolean batchFetch, boolean paged,
                       boolean truncated, String problem) {
        this.normalized = normalized;
        this.operation = operation;
        this.table = table;
        this.batchFetch = batchFetch;
        this.paged = paged;
        this.truncated = truncated;
        this.problem = problem;
    }

    /** Normalized SQL text, safe to show: it holds no literal values. */
    public String normalized() {
        return normalized;
    }

    public Operation operation() {
        return operation;
    }

    /** The main table (lowercase, quotes removed, schema kept when written), or {@code null} when none is found. */
    public String table() {
        return table;
    }

    /**
     * True when the statement fetches many rows by key at once: an {@code IN} list that had two or more elements
     * before it was collapsed, or {@code = ANY (?)}. Such statements are the fix for N+1, never an N+1 themselves.
     */
    public boolean batchFetch() {
        return batchFetch;
    }

    /** True when the statement has a {@code LIMIT}, {@code OFFSET}, {@code FETCH FIRST/NEXT} or {@code TOP} clause. */
    public boolean paged() {
        return paged;
    }

    /** True when the SQL was longer than the configured bound and only its prefix was fingerprinted. */
    public boolean truncated() {
        return truncated;
    }

    /**
     * Why the SQL could not be read cleanly (say, an unterminated string literal at offset 40), or {@code null}.
     * A fingerprint with a problem is still usable: it is the best reading of the text.
     */
    public String problem() {
        return problem;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Fingerprint f && normalized.equals(f.normalized));
    }

    @Override
    public int hashCode() {
        return normalized.hashCode();
    }

    @Override
    public String toString() {
        return normalized;
    }
}
