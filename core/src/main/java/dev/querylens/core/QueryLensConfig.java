package dev.querylens.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Immutable settings of one {@link QueryLens}. Every key, its default and what it accepts is declared once in
 * {@link #SETTINGS}; the agent, the starter and the README follow that table.
 */
public final class QueryLensConfig {

    /** One configuration key: its name, default (as text) and what it accepts. */
    public record Setting(String key, String defaultValue, String accepted, String description) {
    }

    public static final String ENABLED = "querylens.enabled";
    public static final String NPLUSONE_THRESHOLD = "querylens.nplusone.threshold";
    public static final String DUPLICATES_THRESHOLD = "querylens.duplicates.threshold";
    public static final String ENDPOINTS_MAX = "querylens.endpoints.max";
    public static final String TABLES_MAX = "querylens.tables.max";
    public static final String FINDINGS_MAX = "querylens.findings.max";
    public static final String UNIT_MAX_FINGERPRINTS = "querylens.unit.max-fingerprints";
    public static final String FINGERPRINT_CACHE_SIZE = "querylens.fingerprint.cache-size";
    public static final String FINGERPRINT_MAX_SQL_LENGTH = "querylens.fingerprint.max-sql-length";
    public static final String CALLSITE_EXCLUDE_PACKAGES = "querylens.callsite.exclude-packages";
    public static final String LOG_FINDING_INTERVAL = "querylens.log.finding-interval";
    public static final String WEB_EXCLUDE_PATHS = "querylens.web.exclude-paths";
    public static final String EXPLAIN_ENABLED = "querylens.explain.enabled";
    public static final String EXPLAIN_INTERVAL = "querylens.explain.interval";
    public static final String EXPLAIN_MAX_PER_MINUTE = "querylens.explain.max-per-minute";
    public static final String EXPLAIN_QUEUE_SIZE = "querylens.explain.queue-size";
    public static final String EXPLAIN_CONNECTION_TIMEOUT = "querylens.explain.connection-timeout";
    public static final String EXPLAIN_STATEMENT_TIMEOUT = "querylens.explain.statement-timeout";
    public static final String EXPLAIN_LOCK_TIMEOUT = "querylens.explain.lock-timeout";
    public static final String SEQSCAN_MIN_ROWS = "querylens.seqscan.min-rows";

    /** Every key Querylens reads, in the order the README lists them. */
    public static final List<Setting> SETTINGS = List.of(
            new Setting(ENABLED, "true", "true or false", "Turns Querylens on or off as a whole."),
            new Setting(NPLUSONE_THRESHOLD, "5", "a whole number from 2 to 100000",
                    "Executions of one SELECT fingerprint, with at least two different sets of values, in one unit of work that make an N+1 finding."),
            new Setting(DUPLICATES_THRESHOLD, "3", "a whole number from 2 to 100000",
                    "Executions of one SELECT with the very same values in one unit of work that make a duplicate finding."),
            new Setting(ENDPOINTS_MAX, "200", "a whole number from 1 to 10000",
                    "Distinct endpoint tag values; later endpoints are tagged OTHER."),
            new Setting(TABLES_MAX, "200", "a whole number from 1 to 10000",
                    "Distinct table tag values; later tables are tagged OTHER."),
            new Setting(FINDINGS_MAX, "500", "a whole number from 1 to 100000",
                    "Findings kept in memory; the least frequent, least recent go first."),
            new Setting(UNIT_MAX_FINGERPRINTS, "512", "a whole number from 1 to 100000",
                    "Distinct statements analysed per unit of work; statements past it are counted, not analysed."),
            new Setting(FINGERPRINT_CACHE_SIZE, "2048", "a whole number from 0 to 1000000",
                    "SQL strings whose fingerprint is cached."),
            new Setting(FINGERPRINT_MAX_SQL_LENGTH, "65536", "a whole number from 256 to 16777216",
                    "Characters of one SQL string that are fingerprinted; the rest is ignored."),
            new Setting(CALLSITE_EXCLUDE_PACKAGES, "", "a comma-separated list of package or class name prefixes",
                    "Frames skipped when naming the call site, on top of the JDK, JDBC drivers, pools, Hibernate, Spring and Querylens."),
            new Setting(LOG_FINDING_INTERVAL, "5m", "a duration such as 30s, 5m, 1h, 500ms or PT5M, from 0 up",
                    "Least time between two WARN lines for the same finding (endpoint and statement)."),
            new Setting(WEB_EXCLUDE_PATHS, "/actuator", "a comma-separated list of path prefixes starting with /",
                    "HTTP requests under these paths (within the application's context path, compared after normalising path parameters, percent-encoding, doubled slashes and dot segments) are not units of work; their statements count under endpoint none."),
            new Setting(EXPLAIN_ENABLED, "true", "true or false",
                    "Samples EXPLAIN plans of SELECTs to find sequential scans of big tables."),
            new Setting(EXPLAIN_INTERVAL, "10m", "a duration such as 30s, 10m, 1h or PT10M, from 0 up",
                    "Least time between two EXPLAINs of the same statement; the first execution is always sampled."),
            new Setting(EXPLAIN_MAX_PER_MINUTE, "30", "a whole number from 0 to 10000",
                    "EXPLAINs per minute over the whole application; 0 samples nothing."),
            new Setting(EXPLAIN_QUEUE_SIZE, "64", "a whole number from 1 to 10000",
                    "Statements waiting to be explained; past it new ones are dropped and counted as skipped."),
            new Setting(EXPLAIN_CONNECTION_TIMEOUT, "250ms", "a duration such as 100ms or 1s, from 1ms up",
                    "Longest wait for a free pool connection to run an EXPLAIN on; past it the sample is skipped."),
            new Setting(EXPLAIN_STATEMENT_TIMEOUT, "2s", "a duration such as 1s or 2s, from 1s up",
                    "Query timeout of one EXPLAIN."),
            new Setting(EXPLAIN_LOCK_TIMEOUT, "500ms", "a duration such as 200ms or 1s, from 1ms up",
                    "Lock timeout of one EXPLAIN, where the database has one (PostgreSQL, MariaDB, H2)."),
            new Setting(SEQSCAN_MIN_ROWS, "10000", "a whole number from 0 up",
                    "Planner row estimate from which a table is big enough for its sequential scans to be reported."));

    private static final Map<String, Setting> BY_KEY;

    static {
        Map<String, Setting> byKey = new LinkedHashMap<>();
        for (Setting s : SETTINGS) {
            byKey.put(s.key(), s);
        }
        BY_KEY = Collections.unmodifiableMap(byKey);
    }

    private final boolean enabled;
    private final int nPlusOneThreshold;
    private final int duplicatesThreshold;
    private final int endpointsMax;
    private final int tablesMax;
    private final int findingsMax;
    private final int unitMaxFingerprints;
    private final int fingerprintCacheSize;
    private final int fingerprintMaxSqlLength;
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

    private QueryLensConfig(Map<String, String> values, Consumer<String> problems) {
        Reader r = new Reader(values, problems);
        this.enabled = r.bool(ENABLED);
        this.nPlusOneThreshold = r.integer(NPLUSONE_THRESHOLD, 2, 100_000);
        this.duplicatesThreshold = r.integer(DUPLICATES_THRESHOLD, 2, 100_000);
        this.endpointsMax = r.integer(ENDPOINTS_MAX, 1, 10_000);
        this.tablesMax = r.integer(TABLES_MAX, 1, 10_000);
        this.findingsMax = r.integer(FINDINGS_MAX, 1, 100_000);
        this.unitMaxFingerprints = r.integer(UNIT_MAX_FINGERPRINTS, 1, 100_000);
        this.fingerprintCacheSize = r.integer(FINGERPRINT_CACHE_SIZE, 0, 1_000_000);
        this.fingerprintMaxSqlLength = r.integer(FINGERPRINT_MAX_SQL_LENGTH, 256, 16 * 1024 * 1024);
        this.callSiteExcludePackages = r.list(CALLSITE_EXCLUDE_PACKAGES);
        this.logFindingInterval = r.duration(LOG_FINDING_INTERVAL, Duration.ZERO);
        this.webExcludePaths = r.paths(WEB_EXCLUDE_PATHS);
        this.explainEnabled = r.bool(EXPLAIN_ENABLED);
        this.explainInterval = r.duration(EXPLAIN_INTERVAL, Duration.ZERO);
        this.explainMaxPerMinute = r.integer(EXPLAIN_MAX_PER_MINUTE, 0, 10_000);
        this.explainQueueSize = r.integer(EXPLAIN_QUEUE_SIZE, 1, 10_000);
        this.explainConnectionTimeout = r.duration(EXPLAIN_CONNECTION_TIMEOUT, Duration.ofMillis(1));
        this.explainStatementTimeout = r.duration(EXPLAIN_STATEMENT_TIMEOUT, Duration.ofSeconds(1));
        this.explainLockTimeout = r.duration(EXPLAIN_LOCK_TIMEOUT, Duration.ofMillis(1));
        this.seqScanMinRows = r.longValue(SEQSCAN_MIN_ROWS, 0, Long.MAX_VALUE);
        this.values = Collections.unmodifiableMap(r.accepted);
    }

    /** All defaults. */
    public static QueryLensConfig defaults() {
        return new QueryLensConfig(Map.of(), p -> { });
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
        QueryLensConfig config = new QueryLensConfig(values, problems::add);
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
        return new QueryLensConfig(values, problems);
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

    /** Reads typed values out of raw text, reporting each problem and falling back to the default. */
    private static final class Reader {
        private final Map<String, String> raw = new LinkedHashMap<>();
        private final Map<String, String> accepted = new LinkedHashMap<>();
        private final Consumer<String> problems;

        Reader(Map<String, String> values, Consumer<String> problems) {
            this.problems = problems;
            values.forEach((k, v) -> {
                if (k == null || !k.startsWith("querylens.")) {
                    return;
                }
                if (!BY_KEY.containsKey(k)) {
                    problems.accept("unknown key '" + k + "'; known keys: " + String.join(", ", BY_KEY.keySet()));
                    return;
                }
                raw.put(k, v == null ? "" : v.trim());
            });
            accepted.putAll(raw);
        }

        private String text(String key) {
            String v = raw.get(key);
            return v != null ? v : BY_KEY.get(key).defaultValue();
        }

        private void reject(String key, String value) {
            accepted.remove(key);
            problems.accept(key + "='" + value + "' is not accepted; expected " + BY_KEY.get(key).accepted()
                    + " (default " + (BY_KEY.get(key).defaultValue().isEmpty() ? "empty" : BY_KEY.get(key).defaultValue()) + ")");
        }

        boolean bool(String key) {
            String v = text(key).toLowerCase(Locale.ROOT);
            if (v.equals("true") || v.equals("false")) {
                return Boolean.parseBoolean(v);
            }
            reject(key, text(key));
            return Boolean.parseBoolean(BY_KEY.get(key).defaultValue());
        }

        int integer(String key, int min, int max) {
            return (int) longValue(key, min, max);
        }

        long longValue(String key, long min, long max) {
            String v = text(key);
            try {
                long n = Long.parseLong(v.replace("_", ""));
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            reject(key, v);
            return Long.parseLong(BY_KEY.get(key).defaultValue());
        }

        List<String> list(String key) {
            return list(key, text(key));
        }

        List<String> list(String key, String text) {
            List<String> out = new ArrayList<>();
            for (String part : text.split(",")) {
                String p = part.trim();
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
            return List.copyOf(out);
        }

        List<String> paths(String key) {
            List<String> paths = list(key);
            for (String path : paths) {
                if (!path.startsWith("/")) {
                    reject(key, text(key));
                    return list(key, BY_KEY.get(key).defaultValue());
                }
            }
            return paths;
        }

        Duration duration(String key, Duration min) {
            String v = text(key);
            Duration d = parseDuration(v);
            if (d != null && d.compareTo(min) >= 0) {
                return d;
            }
            reject(key, v);
            return parseDuration(BY_KEY.get(key).defaultValue());
        }
    }

    /**
     * Reads {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, a bare number of milliseconds, or ISO-8601
     * ({@code PT5M}); {@code null} when it is none of those.
     */
    public static Duration parseDuration(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return null;
        }
        if (v.startsWith("p") || v.startsWith("-p")) {
            try {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        int unitStart = 0;
        while (unitStart < v.length() && (Character.isDigit(v.charAt(unitStart)) || v.charAt(unitStart) == '-')) {
            unitStart++;
        }
        long amount;
        try {
            amount = Long.parseLong(v.substring(0, unitStart));
        } catch (NumberFormatException e) {
            return null;
        }
        return switch (v.substring(unitStart).trim()) {
            case "", "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> null;
        };
    }

}
