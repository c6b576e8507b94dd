package dev.querylens.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Immutable settings of one {@link QueryLens}. Every key is declared once below as a typed {@link Setting} (key,
 * type, default, range, description) and listed in {@link #SETTINGS}; the readers here, the agent's sources, the
 * starter's validation and metadata and {@code docs/configuration.md} all follow that list.
 */
public final class QueryLensConfig {

    public static final Setting<Boolean> ENABLED = Setting.bool("querylens.enabled", true,
            "Turns Querylens on or off as a whole.");
    public static final Setting<Integer> NPLUSONE_THRESHOLD = Setting.integer("querylens.nplusone.threshold", 5, 2, 100_000,
            "Executions of one SELECT fingerprint, with at least two different sets of values, in one unit of work that make an N+1 finding.");
    public static final Setting<Integer> DUPLICATES_THRESHOLD = Setting.integer("querylens.duplicates.threshold", 3, 2, 100_000,
            "Executions of one SELECT with the very same values in one unit of work that make a duplicate finding.");
    public static final Setting<Integer> UNBATCHED_WRITES_THRESHOLD = Setting.integer("querylens.unbatched-writes.threshold", 5, 2, 100_000,
            "Executions of one INSERT, UPDATE, DELETE or MERGE, one statement at a time (not in a JDBC batch), in one unit of work that make an unbatched-writes finding.");
    public static final Setting<Integer> ENDPOINTS_MAX = Setting.integer("querylens.endpoints.max", 200, 1, 10_000,
            "Distinct endpoint tag values; later endpoints are tagged OTHER.");
    public static final Setting<Integer> TABLES_MAX = Setting.integer("querylens.tables.max", 200, 1, 10_000,
            "Distinct table tag values; later tables are tagged OTHER.");
    public static final Setting<Integer> FINDINGS_MAX = Setting.integer("querylens.findings.max", 500, 1, 100_000,
            "Findings kept in memory; the one seen in the fewest units of work (the least recently seen among equals) goes first.");
    public static final Setting<Integer> UNIT_MAX_FINGERPRINTS = Setting.integer("querylens.unit.max-fingerprints", 512, 1, 100_000,
            "Distinct SELECTs analysed per unit of work; statements past it are counted, not analysed.");
    public static final Setting<Integer> FINGERPRINT_CACHE_SIZE = Setting.integer("querylens.fingerprint.cache-size", 2048, 0, 1_000_000,
            "SQL strings whose fingerprint is cached.");
    public static final Setting<Integer> FINGERPRINT_MAX_SQL_LENGTH = Setting.integer("querylens.fingerprint.max-sql-length",
            65_536, 256, 16 * 1024 * 1024,
            "Characters of one SQL string that are fingerprinted; the rest is ignored.");
    public static final Setting<Long> SQL_TEXT_BUDGET = Setting.longValue("querylens.sql.text-budget",
            8L * 1024 * 1024, 64L * 1024, 1024L * 1024 * 1024,
            "Characters of SQL text Querylens keeps at most, whatever the traffic: three quarters for the fingerprint "
                    + "cache (SQL strings and their normalized text), one quarter for the findings. Each statement's "
                    + "normalized text is kept to 4096 characters at most (its start and end).");
    public static final Setting<List<String>> CALLSITE_EXCLUDE_PACKAGES = Setting.names("querylens.callsite.exclude-packages", List.of(),
            "Frames skipped when naming the call site, on top of the JDK, JDBC drivers, pools, Hibernate, Spring and Querylens.");
    public static final Setting<Duration> LOG_FINDING_INTERVAL = Setting.duration("querylens.log.finding-interval",
            Duration.ofMinutes(5), Duration.ZERO, Duration.ofDays(30),
            "Least time between two WARN lines for the same finding (endpoint and statement).");
    public static final Setting<List<String>> WEB_EXCLUDE_PATHS = Setting.paths("querylens.web.exclude-paths", List.of("/actuator"),
            "HTTP requests under these paths (within the context path, compared after normalising path parameters, "
                    + "percent-encoding, doubled slashes and dot segments) are not units of work, so metric scrapes and "
                    + "health checks are no endpoints; their statements count under endpoint none. Read by the agent and the starter.");
    public static final Setting<Boolean> EXPLAIN_ENABLED = Setting.bool("querylens.explain.enabled", true,
            "Samples EXPLAIN plans of SELECTs to find sequential scans of big tables.");
    public static final Setting<Duration> EXPLAIN_INTERVAL = Setting.duration("querylens.explain.interval",
            Duration.ofMinutes(10), Duration.ZERO, Duration.ofDays(30),
            "Least time between two EXPLAINs of the same statement; the first execution is always sampled.");
    public static final Setting<Integer> EXPLAIN_MAX_PER_MINUTE = Setting.integer("querylens.explain.max-per-minute", 30, 0, 10_000,
            "EXPLAINs per minute over the whole application; 0 samples nothing.");
    public static final Setting<Integer> EXPLAIN_QUEUE_SIZE = Setting.integer("querylens.explain.queue-size", 64, 1, 10_000,
            "Statements waiting to be explained, in each of the sampler's queues (the worker's and, with the agent's"
                    + " metrics endpoint, the endpoint thread's); past it new ones are dropped and counted as skipped.");
    // The timeouts' upper bounds keep every dialect's own setting in range (PostgreSQL takes at most 2^31-1 ms);
    // an EXPLAIN that plans for minutes is better skipped anyway.
    public static final Setting<Duration> EXPLAIN_CONNECTION_TIMEOUT = Setting.duration("querylens.explain.connection-timeout",
            Duration.ofMillis(250), Duration.ofMillis(1), Duration.ofMinutes(1),
            "Longest wait for a free pool connection to run an EXPLAIN on; past it the sample is skipped.");
    public static final Setting<Duration> EXPLAIN_STATEMENT_TIMEOUT = Setting.duration("querylens.explain.statement-timeout",
            Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(10),
            "Longest run of each statement of one EXPLAIN sample (the EXPLAIN, the sampler's catalog reads).");
    public static final Setting<Duration> EXPLAIN_LOCK_TIMEOUT = Setting.duration("querylens.explain.lock-timeout",
            Duration.ofMillis(500), Duration.ofMillis(1), Duration.ofMinutes(10),
            "Lock timeout of one EXPLAIN, where the database has one (PostgreSQL, MariaDB/MySQL, H2).");
    public static final Setting<Long> SEQSCAN_MIN_ROWS = Setting.longValue("querylens.seqscan.min-rows",
            10_000L, 0L, 1_000_000_000_000L,
            "Planner row estimate from which a table is big enough for its sequential scans to be reported; 0 reports every table with an estimate.");

    /** Every key core reads, in the order the reference lists them. */
    public static final List<Setting<?>> SETTINGS = List.of(
            ENABLED, NPLUSONE_THRESHOLD, DUPLICATES_THRESHOLD, UNBATCHED_WRITES_THRESHOLD, ENDPOINTS_MAX, TABLES_MAX,
            FINDINGS_MAX, UNIT_MAX_FINGERPRINTS, FINGERPRINT_CACHE_SIZE, FINGERPRINT_MAX_SQL_LENGTH, SQL_TEXT_BUDGET,
            CALLSITE_EXCLUDE_PACKAGES,
            LOG_FINDING_INTERVAL, WEB_EXCLUDE_PATHS, EXPLAIN_ENABLED, EXPLAIN_INTERVAL, EXPLAIN_MAX_PER_MINUTE,
            EXPLAIN_QUEUE_SIZE, EXPLAIN_CONNECTION_TIMEOUT, EXPLAIN_STATEMENT_TIMEOUT, EXPLAIN_LOCK_TIMEOUT,
            SEQSCAN_MIN_ROWS);

    private static final Map<String, Setting<?>> BY_KEY;

    static {
        Map<String, Setting<?>> byKey = new LinkedHashMap<>();
        for (Setting<?> s : SETTINGS) {
            byKey.put(s.key(), s);
        }
        BY_KEY = Collections.unmodifiableMap(byKey);
    }

    private final Map<Setting<?>, Object> typed;
    private final boolean enabled;
    private final int nPlusOneThreshold;
    private final int duplicatesThreshold;
    private final int unbatchedWritesThreshold;
    private final int endpointsMax;
    private final int tablesMax;
    private final int findingsMax;
    private final int unitMaxFingerprints;
    private final int fingerprintCacheSize;
    private final int fingerprintMaxSqlLength;
    private final long sqlTextBudget;
    private final List<String> callSiteExcludePackages;
    private final Duration logFindingInterval;
    private final List<String> webExcludePaths;
    private final boolean explainEnabled;
    private final Duration explainInterval;
    private final int explainMaxPerMinute;
    private final int explainQueueSize;
    private final Duration explainConnectionTimeout;
    private final Duration explainStatementTimeout;
    private final Duration explainLockTimeout;
    private final long seqScanMinRows;
    private final Map<String, String> values;

    /** {@code typed} holds only accepted values; a key it lacks has its default. */
    private QueryLensConfig(Map<Setting<?>, Object> typed, Map<String, String> given) {
        this.typed = Collections.unmodifiableMap(new LinkedHashMap<>(typed));
        this.enabled = get(ENABLED);
        this.nPlusOneThreshold = get(NPLUSONE_THRESHOLD);
        this.duplicatesThreshold = get(DUPLICATES_THRESHOLD);
        this.unbatchedWritesThreshold = get(UNBATCHED_WRITES_THRESHOLD);
        this.endpointsMax = get(ENDPOINTS_MAX);
        this.tablesMax = get(TABLES_MAX);
        this.findingsMax = get(FINDINGS_MAX);
        this.unitMaxFingerprints = get(UNIT_MAX_FINGERPRINTS);
        this.fingerprintCacheSize = get(FINGERPRINT_CACHE_SIZE);
        this.fingerprintMaxSqlLength = get(FINGERPRINT_MAX_SQL_LENGTH);
        this.sqlTextBudget = get(SQL_TEXT_BUDGET);
        this.callSiteExcludePackages = get(CALLSITE_EXCLUDE_PACKAGES);
        this.logFindingInterval = get(LOG_FINDING_INTERVAL);
        this.webExcludePaths = get(WEB_EXCLUDE_PATHS);
        this.explainEnabled = get(EXPLAIN_ENABLED);
        this.explainInterval = get(EXPLAIN_INTERVAL);
        this.explainMaxPerMinute = get(EXPLAIN_MAX_PER_MINUTE);
        this.explainQueueSize = get(EXPLAIN_QUEUE_SIZE);
        this.explainConnectionTimeout = get(EXPLAIN_CONNECTION_TIMEOUT);
        this.explainStatementTimeout = get(EXPLAIN_STATEMENT_TIMEOUT);
        this.explainLockTimeout = get(EXPLAIN_LOCK_TIMEOUT);
        this.seqScanMinRows = get(SEQSCAN_MIN_ROWS);
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(given));
    }

    /** All defaults. */
    public static QueryLensConfig defaults() {
        return new QueryLensConfig(Map.of(), Map.of());
    }

    /**
     * Strict reading, for a build or a framework that should refuse to start on a bad value.
     * Keys outside the {@code querylens.} namespace are ignored; unknown {@code querylens.*} keys are errors, so a
     * module with keys of its own (the agent's listener settings) removes them before handing the rest here.
     *
     * @throws InvalidConfigException naming every bad key, its value and what is accepted
     */
    public static QueryLensConfig from(Map<String, String> values) {
        List<String> problems = new ArrayList<>();
        QueryLensConfig config = read(values, problems::add);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return config;
    }

    /**
     * Lenient reading, for an agent that must never stop the application: a bad value falls back to its default
     * and each problem is handed to {@code problems} as one sentence.
     */
    public static QueryLensConfig lenient(Map<String, String> values, Consumer<String> problems) {
        return read(values, problems);
    }

    private static QueryLensConfig read(Map<String, String> values, Consumer<String> problems) {
        Map<Setting<?>, Object> typed = new LinkedHashMap<>();
        Map<String, String> given = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k == null || !k.startsWith("querylens.")) {
                return;
            }
            Setting<?> setting = BY_KEY.get(k);
            if (setting == null) {
                problems.accept("unknown key '" + k + "'; known keys: " + String.join(", ", BY_KEY.keySet()));
                return;
            }
            String text = v == null ? "" : v.trim();
            Object value = setting.read(text);
            if (value == null) {
                problems.accept(setting.rejection(text));
            } else {
                typed.put(setting, value);
                given.put(k, text);
            }
        });
        return new QueryLensConfig(typed, given);
    }

    /** Typed values, as a framework's binder gives them: {@code builder().set(NPLUSONE_THRESHOLD, 3).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Typed values checked against their ranges all at once. */
    public static final class Builder {
        private final Map<Setting<?>, Object> typed = new LinkedHashMap<>();

        private Builder() {
        }

        public <T> Builder set(Setting<T> setting, T value) {
            if (!BY_KEY.containsKey(setting.key())) {
                throw new IllegalArgumentException("not a core key: " + setting.key());
            }
            typed.put(setting, value);
            return this;
        }

        /** @throws InvalidConfigException naming every value out of range */
        public QueryLensConfig build() {
            List<String> problems = new ArrayList<>();
            Map<String, String> given = new LinkedHashMap<>();
            typed.forEach((setting, value) -> {
                if (setting.accepts(value)) {
                    given.put(setting.key(), setting.text(value));
                } else {
                    problems.add(setting.rejection(value == null ? "" : setting.text(value)));
                }
            });
            if (!problems.isEmpty()) {
                throw new InvalidConfigException(problems);
            }
            return new QueryLensConfig(typed, given);
        }
    }

    /** The value of a core key (its default when it was not given). */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        if (!BY_KEY.containsKey(setting.key())) {
            throw new IllegalArgumentException("not a core key: " + setting.key());
        }
        Object v = typed.get(setting);
        return v != null ? (T) v : setting.defaultValue();
    }

    public boolean enabled() {
        return enabled;
    }

    public int nPlusOneThreshold() {
        return nPlusOneThreshold;
    }

    public int duplicatesThreshold() {
        return duplicatesThreshold;
    }

    public int unbatchedWritesThreshold() {
        return unbatchedWritesThreshold;
    }

    public int endpointsMax() {
        return endpointsMax;
    }

    public int tablesMax() {
        return tablesMax;
    }

    public int findingsMax() {
        return findingsMax;
    }

    public int unitMaxFingerprints() {
        return unitMaxFingerprints;
    }

    public int fingerprintCacheSize() {
        return fingerprintCacheSize;
    }

    public int fingerprintMaxSqlLength() {
        return fingerprintMaxSqlLength;
    }

    /** {@link #SQL_TEXT_BUDGET}: characters of SQL text kept at most. */
    public long sqlTextBudget() {
        return sqlTextBudget;
    }

    public List<String> callSiteExcludePackages() {
        return callSiteExcludePackages;
    }

    public Duration logFindingInterval() {
        return logFindingInterval;
    }

    public List<String> webExcludePaths() {
        return webExcludePaths;
    }

    public boolean explainEnabled() {
        return explainEnabled;
    }

    public Duration explainInterval() {
        return explainInterval;
    }

    public int explainMaxPerMinute() {
        return explainMaxPerMinute;
    }

    public int explainQueueSize() {
        return explainQueueSize;
    }

    public Duration explainConnectionTimeout() {
        return explainConnectionTimeout;
    }

    public Duration explainStatementTimeout() {
        return explainStatementTimeout;
    }

    public Duration explainLockTimeout() {
        return explainLockTimeout;
    }

    public long seqScanMinRows() {
        return seqScanMinRows;
    }

    /** The accepted values as given (not the defaults), keyed by full name; lets other modules read their keys. */
    public Map<String, String> values() {
        return values;
    }
}
