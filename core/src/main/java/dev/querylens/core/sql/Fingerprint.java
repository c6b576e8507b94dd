package dev.querylens.core.sql;

import java.util.List;

/**
 * The shape of a statement: its SQL with every literal and bind marker replaced by {@code ?}, lists collapsed,
 * comments removed and case and whitespace normalised. Statements that differ only in values share one
 * fingerprint; {@link SqlFingerprinter} hands out one canonical instance per normalized text (and flags: an
 * {@code IN (?)} that had one element and one that had many differ in {@link #batchFetch()}), so identity
 * comparison is the fast path of {@link #equals}.
 */
public final class Fingerprint {

    /**
     * Normalized text longer than this is kept as its start and its end around a marker that gives its length and
     * {@link #hash()}: what Querylens keeps of one statement's SQL, in findings, logs and per unit of work.
     */
    public static final int MAX_TEXT_LENGTH = 4096;
    /** Of a shortened text: characters kept from its end (the rest of the room goes to its start). */
    private static final int TAIL = 1024;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    /** A fingerprint as a map key, without its text: what maps that outlive a unit of work are keyed by. */
    public record Key(long hash) {
    }

    private final String normalized;
    private final long hash;
    private final Key key;
    private final Operation operation;
    private final String table;
    private final boolean batchFetch;
    private final boolean paged;
    private final boolean truncated;
    private final String problem;
    private final boolean sequenceCall;
    private final boolean lockingRead;
    private final boolean switchesSchema;
    private final List<String> functions;

    /** A fingerprint that calls no function or sequence, locks nothing and switches no schema. */
    public Fingerprint(String normalized, Operation operation, String table, boolean batchFetch, boolean paged,
                       boolean truncated, String problem) {
        this(normalized, operation, table, batchFetch, paged, truncated, problem, false, false, false, List.of());
    }

    public Fingerprint(String normalized, Operation operation, String table, boolean batchFetch, boolean paged,
                       boolean truncated, String problem, boolean sequenceCall, boolean lockingRead,
                       boolean switchesSchema, List<String> functions) {
        this.hash = hashOf(normalized);
        this.normalized = shorten(normalized, hash);
        this.key = new Key(hash);
        this.operation = operation;
        this.table = table;
        this.batchFetch = batchFetch;
        this.paged = paged;
        this.truncated = truncated;
        this.problem = problem;
        this.sequenceCall = sequenceCall;
        this.lockingRead = lockingRead;
        this.switchesSchema = switchesSchema;
        this.functions = List.copyOf(functions);
    }

    /**
     * Normalized SQL text, safe to show: it holds no literal values. At most {@link #MAX_TEXT_LENGTH} characters:
     * longer text is kept as its start and end around a marker {@code /* ... shortened ... *}{@code /}.
     */
    public String normalized() {
        return normalized;
    }

    /** A 64-bit hash of the whole normalized text (before any shortening): what fingerprints are told apart by. */
    public long hash() {
        return hash;
    }

    /** This fingerprint as a key that holds no text. */
    public Key key() {
        return key;
    }

    /** The 64-bit hash {@link #hash()} is: FNV-1a over the characters, then a 64-bit finaliser. */
    public static long hashOf(String text) {
        long h = FNV_OFFSET;
        for (int i = 0, n = text.length(); i < n; i++) {
            h = (h ^ text.charAt(i)) * FNV_PRIME;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    /**
     * {@code text} when it has at most {@link #MAX_TEXT_LENGTH} characters; else its start and end around a marker
     * with its length and {@code hash}, {@link #MAX_TEXT_LENGTH} characters in all, so that two long statements
     * that differ only in their middle stay apart. The marker is a comment: the text still reads as SQL.
     */
    public static String shorten(String text, long hash) {
        if (text.length() <= MAX_TEXT_LENGTH) {
            return text;
        }
        String marker = " /* ... " + text.length() + " characters, shortened, " + Long.toHexString(hash) + " ... */ ";
        int head = MAX_TEXT_LENGTH - TAIL - marker.length();
        return text.substring(0, head) + marker + text.substring(text.length() - TAIL);
    }

    public Operation operation() {
        return operation;
    }

    /**
     * The base table the statement mainly reads or writes (lowercase, quotes removed, schema kept when written):
     * the first table of its main {@code FROM}, seen through derived tables and common table expressions to the
     * table they read; with no such table, the first table a nested query reads ({@code SELECT EXISTS (SELECT 1
     * FROM reviews ...)}); with none either, the sequence it calls ({@code SELECT nextval('s')}). A common table
     * expression's name or a derived table's alias is never the table. {@code null} when no table is read at all.
     */
    public String table() {
        return table;
    }

    /**
     * True when the statement calls a sequence ({@code nextval('s')}, {@code NEXT VALUE FOR s},
     * {@code CALL NEXT VALUE FOR s}, {@code s.nextval}, {@code currval}, {@code setval}, {@code lastval}): it
     * returns a new value, or changes one, each time, so two executions are never the same query.
     */
    public boolean sequenceCall() {
        return sequenceCall;
    }

    /**
     * True for a locking read: {@code FOR UPDATE} (also {@code NOWAIT}, {@code SKIP LOCKED}), {@code FOR NO KEY
     * UPDATE}, {@code FOR SHARE}, {@code FOR KEY SHARE}, {@code LOCK IN SHARE MODE}, SQL Server's lock hints. Run
     * in a loop (a queue claiming rows) each execution may return another row.
     */
    public boolean lockingRead() {
        return lockingRead;
    }

    /**
     * True when the statement changes which schema or database the connection's later statements read:
     * {@code USE db}, {@code SET SCHEMA}, {@code SET search_path}, {@code set_config('search_path', ...)}...
     */
    public boolean switchesSchema() {
        return switchesSchema;
    }

    /**
     * The functions the statement calls, each once, in order of appearance: every name followed by an opening
     * bracket but keywords ({@code IN}, {@code VALUES}, {@code EXISTS}, {@code OVER}...), types after {@code AS} or
     * {@code ::}, insert targets and column lists. Unquoted names lowercased, quoted ones as written, qualified
     * names whole ({@code pg_catalog.nextval}). Read from text of any database: for a decision that must be safe
     * on one database, read the text as that database does ({@link SqlCalls#functions} over
     * {@link SqlLexer#lexAsWritten}).
     */
    public List<String> functions() {
        return functions;
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
        return this == o || (o instanceof Fingerprint f && hash == f.hash && normalized.equals(f.normalized));
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hash);
    }

    @Override
    public String toString() {
        return normalized;
    }
}
