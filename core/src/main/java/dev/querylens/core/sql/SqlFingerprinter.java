package dev.querylens.core.sql;

import dev.querylens.core.sql.Token.Kind;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads SQL strings into {@link ParsedSql}: a canonical {@link Fingerprint} plus hashes of the literal values.
 * Thread-safe.
 *
 * <p>Reading is a hand-written lexer over the characters followed by linear passes over the tokens, so its cost is
 * linear in the length of the SQL (with no regular expression applied to user SQL). SQL longer than
 * {@code maxSqlLength} is read on its prefix and marked {@link Fingerprint#truncated() truncated}; the cut leaves
 * strings and brackets open by design, so a truncated fingerprint reports no {@link Fingerprint#problem() problem}.
 * Text that cannot be read cleanly (an unterminated literal or comment, unbalanced brackets, a stray control
 * character) still gets the best reading of it, with the first such problem named.
 *
 * <p><b>Caching.</b> Results are cached per SQL string, so a statement seen before costs one
 * {@link ConcurrentHashMap#get}: no lock, no allocation. Fingerprints are canonicalized, so SQL strings that differ
 * only in their literal values get the same {@code Fingerprint} instance. Both maps hold at most {@code cacheSize}
 * entries (plus at most one per thread racing past the check): when a map is full it is cleared and refills with
 * what is in use. Clearing is cheap and bounded, and a working set that fits in the map stays cached, while
 * stopping at full would pin whatever came first forever. After a clear a fingerprint may be handed out as a new
 * instance equal to the old one, so identity is a fast path and {@link Fingerprint#equals} remains the contract.
 * SQL longer than {@value #MAX_CACHED_LENGTH} characters is neither cached nor canonicalized, so that huge strings
 * are not held as keys; such statements are read again on each call.
 */
public final class SqlFingerprinter {

    /** SQL (and normalized text) longer than this is neither cached nor canonicalized. */
    static final int MAX_CACHED_LENGTH = 10 * 1024;

    private static final ParsedSql NULL_SQL = new ParsedSql(
            new Fingerprint("", Operation.OTHER, null, false, false, false, "null SQL"), 0, 0, 0);
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final int maxSqlLength;
    private final int cacheSize;
    private final ConcurrentHashMap<String, ParsedSql> cache;
    private final ConcurrentHashMap<Shape, Fingerprint> fingerprints;

    /** Everything a fingerprint holds: two fingerprints are the same instance only when all of it matches. */
    private record Shape(String normalized, Operation operation, String table, boolean batchFetch, boolean paged,
                         boolean truncated, String problem, boolean sequenceCall, boolean lockingRead,
                         boolean switchesSchema, List<String> functions) {
    }

    /**
     * Creates a fingerprinter with empty caches.
     *
     * @param maxSqlLength SQL longer than this many characters is read on its prefix only; at least 1
     * @param cacheSize    entries kept in each of the result cache and the fingerprint map; 0 disables both
     */
    public SqlFingerprinter(int maxSqlLength, int cacheSize) {
        if (maxSqlLength < 1 || cacheSize < 0) {
            throw new IllegalArgumentException("maxSqlLength must be positive and cacheSize not negative, got "
                    + maxSqlLength + " and " + cacheSize);
        }
        this.maxSqlLength = maxSqlLength;
        this.cacheSize = cacheSize;
        this.cache = new ConcurrentHashMap<>(Math.min(cacheSize, 4096));
        this.fingerprints = new ConcurrentHashMap<>(Math.min(cacheSize, 4096));
    }

    /**
     * Reads {@code sql}, from the cache when it was seen before. Never throws: {@code null}, blank or unreadable SQL
     * gives a fingerprint with operation {@link Operation#OTHER} and a {@link Fingerprint#problem() problem}.
     */
    public ParsedSql parse(String sql) {
        if (sql == null) {
            return NULL_SQL;
        }
        ParsedSql hit = cache.get(sql);
        if (hit != null) {
            return hit;
        }
        ParsedSql parsed;
        try {
            parsed = read(sql);
        } catch (RuntimeException | StackOverflowError e) {
            parsed = unreadable(sql, e);
        }
        return sql.length() > MAX_CACHED_LENGTH ? parsed : remember(cache, sql, parsed);
    }

    /**
     * Normalized text of {@code sql} written by a known database, such as a filter a plan prints: its literal
     * values become {@code ?} as that database reads them, and its quoted names stay names. Not cached. Never
     * throws: text that cannot be read gives a placeholder that shows none of it.
     */
    public String normalize(String sql, SqlSyntax syntax) {
        if (sql == null) {
            return "";
        }
        try {
            String text = sql.length() > maxSqlLength ? sql.substring(0, maxSqlLength) : sql;
            return Normalizer.normalize(new Tokens(SqlLexer.lex(text, syntax).tokens())).text();
        } catch (RuntimeException | StackOverflowError e) {
            return "unreadable sql " + Integer.toHexString(sql.hashCode());
        }
    }

    /** Entries in the result cache. */
    int cachedStatements() {
        return cache.size();
    }

    /** Entries in the canonical fingerprint map. */
    int canonicalFingerprints() {
        return fingerprints.size();
    }

    private ParsedSql read(String sql) {
        boolean truncated = sql.length() > maxSqlLength;
        SqlLexer.Result lexed = SqlLexer.lex(truncated ? sql.substring(0, maxSqlLength) : sql, truncated);
        Tokens ts = new Tokens(lexed.tokens());
        Normalizer.Result text = Normalizer.normalize(ts);
        Classifier.Traits kind = Classifier.traits(ts, lexed.tokens());
        boolean[] inPaging = new boolean[ts.size()];
        boolean paged = Paging.mark(ts, inPaging);
        String problem = truncated ? null
                : ts.size() == 0 ? "blank SQL"
                : lexed.problem() != null ? lexed.problem()
                : ts.problem();
        Fingerprint fingerprint = canonical(new Shape(text.text(), kind.operation(), kind.table(), text.batchFetch(),
                paged, truncated, problem, kind.sequenceCall(), kind.lockingRead(), kind.switchesSchema(),
                SqlCalls.functions(lexed.tokens())));

        long literalKey = FNV_OFFSET;
        long literalAll = FNV_OFFSET;
        boolean anyLiteral = false;
        boolean anyKeyLiteral = false;
        long pagingBindMask = 0;
        int questionMarks = 0;
        for (int i = 0; i < ts.size(); i++) {
            Token token = ts.get(i);
            if (token.isLiteral()) {
                literalAll = mix(literalAll, token.text());
                anyLiteral = true;
                if (!inPaging[i]) {
                    literalKey = mix(literalKey, token.text());
                    anyKeyLiteral = true;
                }
            } else if (token.kind() == Kind.BIND) {
                int index = token.text().equals("?") ? questionMarks++ : dollarIndex(token.text());
                if (inPaging[i] && index < Long.SIZE) {
                    pagingBindMask |= 1L << index;
                }
            }
        }
        return new ParsedSql(fingerprint, anyKeyLiteral ? literalKey : 0, anyLiteral ? literalAll : 0, pagingBindMask);
    }

    private Fingerprint canonical(Shape shape) {
        Fingerprint known = fingerprints.get(shape);
        if (known != null) {
            return known;
        }
        Fingerprint fresh = new Fingerprint(shape.normalized(), shape.operation(), shape.table(), shape.batchFetch(),
                shape.paged(), shape.truncated(), shape.problem(), shape.sequenceCall(), shape.lockingRead(),
                shape.switchesSchema(), shape.functions());
        return shape.normalized().length() > MAX_CACHED_LENGTH ? fresh : remember(fingerprints, shape, fresh);
    }

    private <K, V> V remember(ConcurrentHashMap<K, V> map, K key, V value) {
        if (cacheSize == 0) {
            return value;
        }
        if (map.size() >= cacheSize) {
            map.clear();
        }
        V prior = map.putIfAbsent(key, value);
        return prior != null ? prior : value;
    }

    /** Zero-based index of a {@code $n} marker; {@link Long#SIZE} or more for any that does not fit the mask. */
    private static int dollarIndex(String marker) {
        int n = 0;
        for (int k = 1; k < marker.length() && n <= Long.SIZE; k++) {
            n = n * 10 + (marker.charAt(k) - '0');
        }
        return n - 1 < 0 ? Long.SIZE : n - 1;
    }

    /** FNV-1a over the characters, then a value no char takes, so that ('ab', 'c') and ('a', 'bc') differ. */
    private static long mix(long hash, String text) {
        for (int k = 0; k < text.length(); k++) {
            hash = (hash ^ text.charAt(k)) * FNV_PRIME;
        }
        return (hash ^ 0x10000) * FNV_PRIME;
    }

    /** The reading failed: a fingerprint per SQL string that shows no SQL text, with the failure as its problem. */
    private static ParsedSql unreadable(String sql, Throwable failure) {
        String normalized = "unreadable sql " + Integer.toHexString(sql.hashCode());
        return new ParsedSql(new Fingerprint(normalized, Operation.OTHER, null, false, false, false,
                "internal error: " + failure.getClass().getName()), 0, 0, 0);
    }
}
