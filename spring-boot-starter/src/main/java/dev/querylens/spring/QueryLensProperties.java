package dev.querylens.spring;

import dev.querylens.core.InvalidConfigException;
import dev.querylens.core.QueryLensConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Querylens settings under {@code querylens.*}: the same keys as the core engine and the agent
 * ({@link QueryLensConfig#SETTINGS}), plus the starter's own. Every value is checked by core's strict reader when
 * the properties are bound, so a bad value stops the application with Spring Boot's usual binding report naming
 * the key, the value and what is accepted.
 */
@ConfigurationProperties("querylens")
public class QueryLensProperties implements Validator {

    /**
     * Turns Querylens on or off as a whole. When off, no DataSource is wrapped, no request is a unit of work and
     * the Actuator endpoint is absent; a QueryLens bean that does nothing is still there for code that injects it.
     */
    private boolean enabled = true;

    /** N+1 detection. */
    private final Nplusone nplusone = new Nplusone();

    /** Duplicate query detection. */
    private final Duplicates duplicates = new Duplicates();

    /** Bound on endpoint tag values. */
    private final Endpoints endpoints = new Endpoints();

    /** Bound on table tag values. */
    private final Tables tables = new Tables();

    /** Findings kept in memory. */
    private final Findings findings = new Findings();

    /** Analysis of one unit of work. */
    private final Unit unit = new Unit();

    /** SQL fingerprinting. */
    private final Fingerprint fingerprint = new Fingerprint();

    /** Naming of the call site. */
    private final Callsite callsite = new Callsite();

    /** Logging of findings. */
    private final Log log = new Log();

    /** EXPLAIN sampling of SELECTs. */
    private final Explain explain = new Explain();

    /** Sequential scan findings. */
    private final Seqscan seqscan = new Seqscan();

    /** Spring MVC requests as units of work. */
    private final Web web = new Web();

    /**
     * Names of DataSource beans that are left as they are: their statements are not counted. A DataSource that
     * delegates to another DataSource bean is counted through that bean, so exclude both to leave one out.
     */
    private List<String> excludedDatasourceBeans = new ArrayList<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Nplusone getNplusone() {
        return nplusone;
    }

    public Duplicates getDuplicates() {
        return duplicates;
    }

    public Endpoints getEndpoints() {
        return endpoints;
    }

    public Tables getTables() {
        return tables;
    }

    public Findings getFindings() {
        return findings;
    }

    public Unit getUnit() {
        return unit;
    }

    public Fingerprint getFingerprint() {
        return fingerprint;
    }

    public Callsite getCallsite() {
        return callsite;
    }

    public Log getLog() {
        return log;
    }

    public Explain getExplain() {
        return explain;
    }

    public Seqscan getSeqscan() {
        return seqscan;
    }

    public Web getWeb() {
        return web;
    }

    public List<String> getExcludedDatasourceBeans() {
        return excludedDatasourceBeans;
    }

    public void setExcludedDatasourceBeans(List<String> excludedDatasourceBeans) {
        this.excludedDatasourceBeans = excludedDatasourceBeans == null ? new ArrayList<>() : excludedDatasourceBeans;
    }

    /** N+1 detection. */
    public static class Nplusone {
        /**
         * Executions of one SELECT fingerprint, with at least two different sets of values, in one unit of work
         * that make an N+1 finding. From 2 to 100000.
         */
        private int threshold = 5;

        public int getThreshold() {
            return threshold;
        }

        public void setThreshold(int threshold) {
            this.threshold = threshold;
        }
    }

    /** Duplicate query detection. */
    public static class Duplicates {
        /**
         * Executions of one SELECT with the very same values in one unit of work that make a duplicate finding.
         * From 2 to 100000.
         */
        private int threshold = 3;

        public int getThreshold() {
            return threshold;
        }

        public void setThreshold(int threshold) {
            this.threshold = threshold;
        }
    }

    /** Bound on endpoint tag values. */
    public static class Endpoints {
        /** Distinct endpoint tag values; later endpoints are tagged OTHER. From 1 to 10000. */
        private int max = 200;

        public int getMax() {
            return max;
        }

        public void setMax(int max) {
            this.max = max;
        }
    }

    /** Bound on table tag values. */
    public static class Tables {
        /** Distinct table tag values; later tables are tagged OTHER. From 1 to 10000. */
        private int max = 200;

        public int getMax() {
            return max;
        }

        public void setMax(int max) {
            this.max = max;
        }
    }

    /** Findings kept in memory. */
    public static class Findings {
        /** Findings kept in memory; the least frequent, least recent go first. From 1 to 100000. */
        private int max = 500;

        public int getMax() {
            return max;
        }

        public void setMax(int max) {
            this.max = max;
        }
    }

    /** Analysis of one unit of work. */
    public static class Unit {
        /**
         * Distinct statements analysed per unit of work; statements past it are counted, not analysed. From 1 to
         * 100000.
         */
        private int maxFingerprints = 512;

        public int getMaxFingerprints() {
            return maxFingerprints;
        }

        public void setMaxFingerprints(int maxFingerprints) {
            this.maxFingerprints = maxFingerprints;
        }
    }

    /** SQL fingerprinting. */
    public static class Fingerprint {
        /** SQL strings whose fingerprint is cached. From 0 to 1000000. */
        private int cacheSize = 2048;

        /** Characters of one SQL string that are fingerprinted; the rest is ignored. From 256 to 16777216. */
        private int maxSqlLength = 65536;

        public int getCacheSize() {
            return cacheSize;
        }

        public void setCacheSize(int cacheSize) {
            this.cacheSize = cacheSize;
        }

        public int getMaxSqlLength() {
            return maxSqlLength;
        }

        public void setMaxSqlLength(int maxSqlLength) {
            this.maxSqlLength = maxSqlLength;
        }
    }

    /** Naming of the call site. */
    public static class Callsite {
        /**
         * Package or class name prefixes of frames skipped when naming the call site, on top of the JDK, JDBC
         * drivers, pools, Hibernate, Spring and Querylens.
         */
        private List<String> excludePackages = new ArrayList<>();

        public List<String> getExcludePackages() {
            return excludePackages;
        }

        public void setExcludePackages(List<String> excludePackages) {
            this.excludePackages = excludePackages == null ? new ArrayList<>() : excludePackages;
        }
    }

    /** Logging of findings. */
    public static class Log {
        /** Least time between two WARN lines for the same finding (endpoint and statement); 0 or more. */
        private Duration findingInterval = Duration.ofMinutes(5);

        public Duration getFindingInterval() {
            return findingInterval;
        }

        public void setFindingInterval(Duration findingInterval) {
            this.findingInterval = findingInterval;
        }
    }

    /** EXPLAIN sampling of SELECTs, on connections of Querylens's own, in the background. */
    public static class Explain {
        /** Samples EXPLAIN plans of SELECTs to find sequential scans of big tables. */
        private boolean enabled = true;

        /**
         * Least time between two EXPLAINs of the same statement; the first execution is always sampled. 0 or more.
         */
        private Duration interval = Duration.ofMinutes(10);

        /** EXPLAINs per minute over the whole application; 0 samples nothing. From 0 to 10000. */
        private int maxPerMinute = 30;

        /**
         * Statements waiting to be explained; past it new ones are dropped and counted as skipped. From 1 to 10000.
         */
        private int queueSize = 64;

        /**
         * Longest wait for a free pool connection to run an EXPLAIN on; past it the sample is skipped. 1ms or more.
         */
        private Duration connectionTimeout = Duration.ofMillis(250);

        /** Query timeout of one EXPLAIN. 1s or more. */
        private Duration statementTimeout = Duration.ofSeconds(2);

        /** Lock timeout of one EXPLAIN, where the database has one (PostgreSQL, MariaDB, H2). 1ms or more. */
        private Duration lockTimeout = Duration.ofMillis(500);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public int getMaxPerMinute() {
            return maxPerMinute;
        }

        public void setMaxPerMinute(int maxPerMinute) {
            this.maxPerMinute = maxPerMinute;
        }

        public int getQueueSize() {
            return queueSize;
        }

        public void setQueueSize(int queueSize) {
            this.queueSize = queueSize;
        }

        public Duration getConnectionTimeout() {
            return connectionTimeout;
        }

        public void setConnectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
        }

        public Duration getStatementTimeout() {
            return statementTimeout;
        }

        public void setStatementTimeout(Duration statementTimeout) {
            this.statementTimeout = statementTimeout;
        }

        public Duration getLockTimeout() {
            return lockTimeout;
        }

        public void setLockTimeout(Duration lockTimeout) {
            this.lockTimeout = lockTimeout;
        }
    }

    /** Sequential scan findings. */
    public static class Seqscan {
        /** Planner row estimate from which a table is big enough for its sequential scans to be reported. 0 or more. */
        private long minRows = 10000;

        public long getMinRows() {
            return minRows;
        }

        public void setMinRows(long minRows) {
            this.minRows = minRows;
        }
    }

    /** Spring MVC requests as units of work. */
    public static class Web {
        /**
         * Whether each Spring MVC request is a unit of work, recorded under its method and route template such as
         * "GET /owners/{ownerId}".
         */
        private boolean enabled = true;

        /**
         * Path prefixes (within the context path) whose requests are not units of work, such as "/actuator" so
         * that metric scrapes and health checks do not show up as endpoints; their statements count under "none".
         * Compared after normalising path parameters, percent-encoding, doubled slashes and dot segments.
         */
        private List<String> excludePaths = new ArrayList<>(List.of("/actuator"));

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public List<String> getExcludePaths() {
            return excludePaths;
        }

        public void setExcludePaths(List<String> excludePaths) {
            this.excludePaths = excludePaths == null ? new ArrayList<>() : excludePaths;
        }
    }

    /** One core key: where it lives in this class (for binding errors) and how its value reads as text. */
    private record Key(String key, String path, Function<QueryLensProperties, String> text) {
    }

    private static final List<Key> CORE_KEYS = List.of(
            new Key(QueryLensConfig.ENABLED, "enabled", p -> Boolean.toString(p.enabled)),
            new Key(QueryLensConfig.NPLUSONE_THRESHOLD, "nplusone.threshold", p -> Integer.toString(p.nplusone.threshold)),
            new Key(QueryLensConfig.DUPLICATES_THRESHOLD, "duplicates.threshold", p -> Integer.toString(p.duplicates.threshold)),
            new Key(QueryLensConfig.ENDPOINTS_MAX, "endpoints.max", p -> Integer.toString(p.endpoints.max)),
            new Key(QueryLensConfig.TABLES_MAX, "tables.max", p -> Integer.toString(p.tables.max)),
            new Key(QueryLensConfig.FINDINGS_MAX, "findings.max", p -> Integer.toString(p.findings.max)),
            new Key(QueryLensConfig.UNIT_MAX_FINGERPRINTS, "unit.maxFingerprints", p -> Integer.toString(p.unit.maxFingerprints)),
            new Key(QueryLensConfig.FINGERPRINT_CACHE_SIZE, "fingerprint.cacheSize", p -> Integer.toString(p.fingerprint.cacheSize)),
            new Key(QueryLensConfig.FINGERPRINT_MAX_SQL_LENGTH, "fingerprint.maxSqlLength", p -> Integer.toString(p.fingerprint.maxSqlLength)),
            new Key(QueryLensConfig.CALLSITE_EXCLUDE_PACKAGES, "callsite.excludePackages", p -> String.join(",", p.callsite.excludePackages)),
            new Key(QueryLensConfig.LOG_FINDING_INTERVAL, "log.findingInterval", p -> text(p.log.findingInterval)),
            new Key(QueryLensConfig.WEB_EXCLUDE_PATHS, "web.excludePaths", p -> String.join(",", p.web.excludePaths)),
            new Key(QueryLensConfig.EXPLAIN_ENABLED, "explain.enabled", p -> Boolean.toString(p.explain.enabled)),
            new Key(QueryLensConfig.EXPLAIN_INTERVAL, "explain.interval", p -> text(p.explain.interval)),
            new Key(QueryLensConfig.EXPLAIN_MAX_PER_MINUTE, "explain.maxPerMinute", p -> Integer.toString(p.explain.maxPerMinute)),
            new Key(QueryLensConfig.EXPLAIN_QUEUE_SIZE, "explain.queueSize", p -> Integer.toString(p.explain.queueSize)),
            new Key(QueryLensConfig.EXPLAIN_CONNECTION_TIMEOUT, "explain.connectionTimeout", p -> text(p.explain.connectionTimeout)),
            new Key(QueryLensConfig.EXPLAIN_STATEMENT_TIMEOUT, "explain.statementTimeout", p -> text(p.explain.statementTimeout)),
            new Key(QueryLensConfig.EXPLAIN_LOCK_TIMEOUT, "explain.lockTimeout", p -> text(p.explain.lockTimeout)),
            new Key(QueryLensConfig.SEQSCAN_MIN_ROWS, "seqscan.minRows", p -> Long.toString(p.seqscan.minRows)));

    /** A Duration as core reads it (ISO-8601), or empty when unset. */
    private static String text(Duration d) {
        return d == null ? "" : d.toString();
    }

    /** The core keys with their values as text, as {@link QueryLensConfig#from(Map)} reads them. */
    public Map<String, String> toCoreValues() {
        Map<String, String> values = new LinkedHashMap<>();
        for (Key k : CORE_KEYS) {
            values.put(k.key(), k.text().apply(this));
        }
        return values;
    }

    /**
     * The core configuration, read strictly.
     *
     * @throws InvalidConfigException when a value is not accepted (binding reports it first, see {@link #validate})
     */
    public QueryLensConfig toConfig() {
        return QueryLensConfig.from(toCoreValues());
    }

    @Override
    public boolean supports(Class<?> type) {
        return QueryLensProperties.class.isAssignableFrom(type);
    }

    /** Checks each core key with core's strict reader; each rejected value becomes a field error on its key. */
    @Override
    public void validate(Object target, Errors errors) {
        QueryLensProperties p = (QueryLensProperties) target;
        for (Key k : CORE_KEYS) {
            String value = k.text().apply(p);
            try {
                QueryLensConfig.from(Map.of(k.key(), value));
            } catch (InvalidConfigException e) {
                errors.rejectValue(k.path(), "querylens.invalid", String.join("; ", e.problems()));
            }
        }
    }
}
