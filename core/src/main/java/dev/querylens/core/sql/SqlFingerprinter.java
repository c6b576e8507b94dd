package dev.querylens.core.sql;

import dev.querylens.core.sql.Token.Kind;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

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
 * only in their literal values get the same {@code Fingerprint} instance; the canonical map is keyed by a hash of the
 * normalized text, and a fingerprint keeps at most {@link Fingerprint#MAX_TEXT_LENGTH} characters of it. Both maps
 * together hold at most {@code cacheSize} entries each and at most {@code textBudget} characters of SQL text (the
 * SQL strings kept as keys and the fingerprints' text), plus at most one entry per thread racing past the check:
 * when a bound is reached the maps are cleared and refill with what is in use. Clearing is cheap and bounded, and a
 * working set that fits stays cached, while stopping at full would pin whatever came first forever. After a clear a
 * fingerprint may be handed out as a new instance equal to the old one, so identity is a fast path and
 * {@link Fingerprint#equals} remains the contract. SQL longer than {@value #MAX_CACHED_LENGTH} characters is not
 * cached, so that huge strings are not held as keys; such statements are read again on each call.
 */
public final class SqlFingerprinter {

    /** SQL longer than this is not cached. */
    static final int MAX_CACHED_LENGTH = 10 * 1024;
    /** The text budget of the two-argument constructor: the default share of {@code querylens.sql.text-budget}. */
    static final long DEFAULT_TEXT_BUDGET = 6L * 1024 * 1024;

    private static final ParsedSql NULL_SQL = new ParsedSql(
            new Fingerprint("", Operation.OTHER, null, false, false, false, "null SQL"), 0, 0, 0);
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final int maxSqlLength;
    private final int cacheSize;
    private final ConcurrentHashMap<String, ParsedSql> cache;
    private final ConcurrentHashMap<Shape, Fingerprint> fingerprints;
    private final long textBudget;
    /** Told of each failure to read a statement: the reading is Querylens's bug, counted and logged by the caller. */
    private final Consumer<Throwable> failures;
    /** Characters of SQL text the two maps hold: the SQL keys of the cache and the canonical fingerprints' text. */
    private final AtomicLong textHeld = new AtomicLong();

    /**
     * Everything a fingerprint holds, its text by {@link Fingerprint#hashOf hash}: two fingerprints are the same
     * instance only when all of it matches.
     */
    private record Shape(long textHash, Operation operation, String table, boolean batchFetch, boolean paged,
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
        this(maxSqlLength, cacheSize, DEFAULT_TEXT_BUDGET);
    }

    /**
     * Creates a fingerprinter with empty caches.
     *
     * @param maxSqlLength SQL longer than this many characters is read on its prefix only; at least 1
     * @param cacheSize    entries kept in each of the result cache and the fingerprint map; 0 disables both
     * @param textBudget   characters of SQL text both maps hold at most (the SQL strings and the fingerprints' text)
     */
    public SqlFingerprinter(int maxSqlLength, int cacheSize, long textBudget) {
        this(maxSqlLength, cacheSize, textBudget, failure -> { });
    }

    /**
     * Creates a fingerprinter with empty caches that tells {@code failures} of each failure to read a statement
     * (the statement then gets a fingerprint that shows none of its text, as from {@link #parse}). {@code failures}
     * runs on the statement path and must not throw; whatever it throws is dropped.
     *
     * @param maxSqlLength SQL longer than this many characters is read on its prefix only; at least 1
     * @param cacheSize    entries kept in each of the result cache and the fingerprint map; 0 disables both
     * @param textBudget   characters of SQL text both maps hold at most (the SQL strings and the fingerprints' text)
     * @param failures     told of each reading that failed (a bug of the reader's), e.g. to count it
     */
    public SqlFingerprinter(int maxSqlLength, int cacheSize, long textBudget, Consumer<Throwable> failures) {
        if (maxSqlLength < 1 || cacheSize < 0 || textBudget < 0) {
            throw new IllegalArgumentException("maxSqlLength must be positive, cacheSize and textBudget not negative, "
                    + "got " + maxSqlLength + ", " + cacheSize + " and " + textBudget);
        }
        this.maxSqlLength = maxSqlLength;
        this.cacheSize = cacheSize;
        this.textBudget = textBudget;
        this.failures = java.util.Objects.requireNonNull(failures, "failures");
        this.cache = new ConcurrentHashMap<>(Math.min(cacheSize, 4096));
        this.fingerprints = new ConcurrentHashMap<>(Math.min(cacheSize, 4096));
    }

    /**
     * Reads {@code sql}, from the cache when it was seen before. Never throws: {@code null}, blank or unreadable SQL
     * gives a fingerprint with operation {@link Operation#OTHER} and a {@link Fingerprint#problem() problem}; a
     * reading that fails (a bug of the reader's) gives such a fingerprint too, showing no SQL text, and is told to
     * the failure listener of the constructor. Such a result is cached like any other, so one failing SQL string is
     * told of once until the cache is cleared.
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
            failed(e);
            parsed = unreadable(sql, e);
        }
        return sql.length() > MAX_CACHED_LENGTH ? parsed : remember(cache, sql, parsed, sql.length());
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
            String normalized = Normalizer.normalize(new Tokens(SqlLexer.lex(text, syntax).tokens())).text();
            return Fingerprint.shorten(normalized, Fingerprint.hashOf(normalized));
        } catch (RuntimeException | StackOverflowError e) {
            failed(e);
            return "unreadable sql " + Integer.toHexString(sql.hashCode());
        }
    }

    private void failed(Throwable failure) {
        try {
            failures.accept(failure);
        } catch (Throwable ignored) {
            // telling of a failure must not fail the statement path
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
        Fingerprint fingerprint = canonical(text.text(), new Shape(Fingerprint.hashOf(text.text()), kind.operation(), kind.table(), text.batchFetch(),
                paged, truncated, problem, kind.sequenceCall(), kind.lockingRead(), kind.switchesSchema(),
                SqlCalls.functions(lexed.tokens())));

        boolean[] inList = new boolean[ts.size()];
        boolean[] keyset = new boolean[ts.size()];
        ValueRoles roles = ValueRoles.read(ts, inList, keyset);
        long literalKey = FNV_OFFSET;
        long literalAll = FNV_OFFSET;
        long literalOutside = FNV_OFFSET;
        boolean anyLiteral = false;
        boolean anyKeyLiteral = false;
        boolean anyOutsideLiteral = false;
        long pagingBindMask = roles.keysetBindMask();
        int questionMarks = 0;
        for (int i = 0; i < ts.size(); i++) {
            Token token = ts.get(i);
            if (token.isLiteral()) {
                literalAll = mix(literalAll, token.text());
                anyLiteral = true;
                if (!inPaging[i] && !keyset[i]) {
                    literalKey = mix(literalKey, token.text());
                    anyKeyLiteral = true;
                    if (!inList[i]) {
                        literalOutside = mix(literalOutside, token.text());
                        anyOutsideLiteral = true;
                    }
                }
            } else if (token.kind() == Kind.BIND) {
                int index = token.text().equals("?") ? questionMarks++ : dollarIndex(token.text());
                if (inPaging[i] && index < Long.SIZE) {
                    pagingBindMask |= 1L << index;
                }
            }
        }
        return new ParsedSql(fingerprint, anyKeyLiteral ? literalKey : 0, anyLiteral ? literalAll : 0, pagingBindMask,
                anyOutsideLiteral ? literalOutside : 0, roles);
    }

    private Fingerprint canonical(String normalized, Shape shape) {
        Fingerprint known = fingerprints.get(shape);
        if (known != null) {
            return known;
        }
        Fingerprint fresh = new Fingerprint(normalized, shape.operation(), shape.table(), shape.batchFetch(),
                shape.paged(), shape.truncated(), shape.problem(), shape.sequenceCall(), shape.lockingRead(),
                shape.switchesSchema(), shape.functions());
        long chars = fresh.normalized().length();
        for (String f : fresh.functions()) {
            chars += f.length();
        }
        return remember(fingerprints, shape, fresh, chars);
    }

    /**
     * Keeps {@code value} under {@code key}, {@code chars} characters of SQL text; when a map is at its entry bound or
     * both together at their text budget, both are cleared first.
     */
    private <K, V> V remember(ConcurrentHashMap<K, V> map, K key, V value, long chars) {
        if (cacheSize == 0 || chars > textBudget) {
            return value;
        }
        if (map.size() >= cacheSize || textHeld.get() + chars > textBudget) {
            cache.clear();
            fingerprints.clear();
            textHeld.set(0);
        }
        V prior = map.putIfAbsent(key, value);
        if (prior != null) {
            return prior;
        }
        textHeld.addAndGet(chars);
        return value;
    }

    /** Characters of SQL text the caches hold now. */
    long textHeld() {
        return textHeld.get();
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
