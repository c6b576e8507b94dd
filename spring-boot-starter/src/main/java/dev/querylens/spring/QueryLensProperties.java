package dev.querylens.spring;

import dev.querylens.core.InvalidConfigException;
import dev.querylens.core.QueryLensConfig;
import dev.querylens.core.Setting;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Querylens settings under {@code querylens.*}: the core keys ({@link QueryLensConfig#SETTINGS}) plus the starter's
 * own ({@code web.enabled}, {@code excluded-datasource-beans}).
 *
 * <p>A core key is declared once, in core, as a typed {@link Setting}; this class only gives it a home that Spring
 * binds (relaxed names, {@code Duration} conversion, IDE completion). So that the definition stays the single source:
 * <ul>
 *   <li>each field starts at the definition's default ({@code = QueryLensConfig.X.defaultValue()});</li>
 *   <li>the description, range and default the IDE shows come from
 *       {@code META-INF/additional-spring-configuration-metadata.json}, which is generated from the definitions and
 *       overrides what the configuration processor reads from these fields (a test fails when it is stale, and
 *       rewrites it with {@code -Dquerylens.regenerate=true});</li>
 *   <li>{@link #BINDINGS} maps each definition to its field, and a test checks it covers every definition;</li>
 *   <li>bound values are checked against the definition's range at binding ({@link #validate}), so a bad value stops
 *       the application with Spring Boot's report naming the key, the value and the range, and the typed values go
 *       to core as they are ({@link #toConfig}).</li>
 * </ul>
 * The field Javadoc therefore only names the definition; the starter's own keys, which core does not know, carry
 * their full description here.
 */
@ConfigurationProperties("querylens")
public class QueryLensProperties implements Validator {

    /**
     * {@link QueryLensConfig#ENABLED}. When off, no DataSource is wrapped, no request is a unit of work and the
     * Actuator endpoint is absent; a QueryLens bean that does nothing is still there for code that injects it.
     */
    private boolean enabled = QueryLensConfig.ENABLED.defaultValue();

    /** N+1 detection. */
    private final Nplusone nplusone = new Nplusone();

    /** Duplicate query detection. */
    private final Duplicates duplicates = new Duplicates();

    /** Unbatched-writes detection. */
    private final UnbatchedWrites unbatchedWrites = new UnbatchedWrites();

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

    /** SQL text kept in memory. */
    private final Sql sql = new Sql();

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

    public UnbatchedWrites getUnbatchedWrites() {
        return unbatchedWrites;
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

    public Sql getSql() {
        return sql;
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
        /** {@link QueryLensConfig#NPLUSONE_THRESHOLD}. */
        private int threshold = QueryLensConfig.NPLUSONE_THRESHOLD.defaultValue();

        public int getThreshold() {
            return threshold;
        }

        public void setThreshold(int threshold) {
            this.threshold = threshold;
        }
    }

    /** Duplicate query detection. */
    public static class Duplicates {
        /** {@link QueryLensConfig#DUPLICATES_THRESHOLD}. */
        private int threshold = QueryLensConfig.DUPLICATES_THRESHOLD.defaultValue();

        public int getThreshold() {
            return threshold;
        }

        public void setThreshold(int threshold) {
            this.threshold = threshold;
        }
    }

    /** Unbatched-writes detection. */
    public static class UnbatchedWrites {
        /** {@link QueryLensConfig#UNBATCHED_WRITES_THRESHOLD}. */
        private int threshold = QueryLensConfig.UNBATCHED_WRITES_THRESHOLD.defaultValue();

        public int getThreshold() {
            return threshold;
        }

        public void setThreshold(int threshold) {
            this.threshold = threshold;
        }
    }

    /** Bound on endpoint tag values. */
    public static class Endpoints {
        /** {@link QueryLensConfig#ENDPOINTS_MAX}. */
        private int max = QueryLensConfig.ENDPOINTS_MAX.defaultValue();

        public int getMax() {
            return max;
        }

        public void setMax(int max) {
            this.max = max;
        }
    }

    /** Bound on table tag values. */
    public static class Tables {
        /** {@link QueryLensConfig#TABLES_MAX}. */
        private int max = QueryLensConfig.TABLES_MAX.defaultValue();

        public int getMax() {
            return max;
        }

        public void setMax(int max) {
            this.max = max;
        }
    }

    /** Findings kept in memory. */
    public static class Findings {
        /** {@link QueryLensConfig#FINDINGS_MAX}. */
        private int max = QueryLensConfig.FINDINGS_MAX.defaultValue();

        public int getMax() {
            return max;
        }

        public void setMax(int max) {
            this.max = max;
        }
    }

    /** Analysis of one unit of work. */
    public static class Unit {
        /** {@link QueryLensConfig#UNIT_MAX_FINGERPRINTS}. */
        private int maxFingerprints = QueryLensConfig.UNIT_MAX_FINGERPRINTS.defaultValue();

        public int getMaxFingerprints() {
            return maxFingerprints;
        }

        public void setMaxFingerprints(int maxFingerprints) {
            this.maxFingerprints = maxFingerprints;
        }
    }

    /** SQL fingerprinting. */
    public static class Fingerprint {
        /** {@link QueryLensConfig#FINGERPRINT_CACHE_SIZE}. */
        private int cacheSize = QueryLensConfig.FINGERPRINT_CACHE_SIZE.defaultValue();

        /** {@link QueryLensConfig#FINGERPRINT_MAX_SQL_LENGTH}. */
        private int maxSqlLength = QueryLensConfig.FINGERPRINT_MAX_SQL_LENGTH.defaultValue();

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

    /** SQL text kept in memory. */
    public static class Sql {
        /** {@link QueryLensConfig#SQL_TEXT_BUDGET}. */
        private long textBudget = QueryLensConfig.SQL_TEXT_BUDGET.defaultValue();

        public long getTextBudget() {
            return textBudget;
        }

        public void setTextBudget(long textBudget) {
            this.textBudget = textBudget;
        }
    }

    /** Naming of the call site. */
    public static class Callsite {
        /** {@link QueryLensConfig#CALLSITE_EXCLUDE_PACKAGES}. */
        private List<String> excludePackages = new ArrayList<>(QueryLensConfig.CALLSITE_EXCLUDE_PACKAGES.defaultValue());

        public List<String> getExcludePackages() {
            return excludePackages;
        }

        public void setExcludePackages(List<String> excludePackages) {
            this.excludePackages = excludePackages == null ? new ArrayList<>() : excludePackages;
        }
    }

    /** Logging of findings. */
    public static class Log {
        /** {@link QueryLensConfig#LOG_FINDING_INTERVAL}. */
        private Duration findingInterval = QueryLensConfig.LOG_FINDING_INTERVAL.defaultValue();

        public Duration getFindingInterval() {
            return findingInterval;
        }

        public void setFindingInterval(Duration findingInterval) {
            this.findingInterval = findingInterval;
        }
    }

    /** EXPLAIN sampling of SELECTs, on connections of Querylens's own, in the background. */
    public static class Explain {
        /** {@link QueryLensConfig#EXPLAIN_ENABLED}. */
        private boolean enabled = QueryLensConfig.EXPLAIN_ENABLED.defaultValue();

        /** {@link QueryLensConfig#EXPLAIN_INTERVAL}. */
        private Duration interval = QueryLensConfig.EXPLAIN_INTERVAL.defaultValue();

        /** {@link QueryLensConfig#EXPLAIN_MAX_PER_MINUTE}. */
        private int maxPerMinute = QueryLensConfig.EXPLAIN_MAX_PER_MINUTE.defaultValue();

        /** {@link QueryLensConfig#EXPLAIN_QUEUE_SIZE}. */
        private int queueSize = QueryLensConfig.EXPLAIN_QUEUE_SIZE.defaultValue();

        /** {@link QueryLensConfig#EXPLAIN_CONNECTION_TIMEOUT}. */
        private Duration connectionTimeout = QueryLensConfig.EXPLAIN_CONNECTION_TIMEOUT.defaultValue();

        /** {@link QueryLensConfig#EXPLAIN_STATEMENT_TIMEOUT}. */
        private Duration statementTimeout = QueryLensConfig.EXPLAIN_STATEMENT_TIMEOUT.defaultValue();

        /** {@link QueryLensConfig#EXPLAIN_LOCK_TIMEOUT}. */
        private Duration lockTimeout = QueryLensConfig.EXPLAIN_LOCK_TIMEOUT.defaultValue();

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
        /** {@link QueryLensConfig#SEQSCAN_MIN_ROWS}. */
        private long minRows = QueryLensConfig.SEQSCAN_MIN_ROWS.defaultValue();

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

        /** {@link QueryLensConfig#WEB_EXCLUDE_PATHS}. */
        private List<String> excludePaths = new ArrayList<>(QueryLensConfig.WEB_EXCLUDE_PATHS.defaultValue());

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

    /**
     * One core definition and the field that holds it: {@code path} is the field's property path below
     * {@code querylens} (for binding errors), {@code value} reads it.
     */
    record Binding<T>(Setting<T> setting, String path, Function<QueryLensProperties, T> value) {
    }

    /** Every core definition with its field; a test checks this list covers {@link QueryLensConfig#SETTINGS}. */
    static final List<Binding<?>> BINDINGS = List.of(
            new Binding<>(QueryLensConfig.ENABLED, "enabled", p -> p.enabled),
            new Binding<>(QueryLensConfig.NPLUSONE_THRESHOLD, "nplusone.threshold", p -> p.nplusone.threshold),
            new Binding<>(QueryLensConfig.DUPLICATES_THRESHOLD, "duplicates.threshold", p -> p.duplicates.threshold),
            new Binding<>(QueryLensConfig.UNBATCHED_WRITES_THRESHOLD, "unbatched-writes.threshold", p -> p.unbatchedWrites.threshold),
            new Binding<>(QueryLensConfig.ENDPOINTS_MAX, "endpoints.max", p -> p.endpoints.max),
            new Binding<>(QueryLensConfig.TABLES_MAX, "tables.max", p -> p.tables.max),
            new Binding<>(QueryLensConfig.FINDINGS_MAX, "findings.max", p -> p.findings.max),
            new Binding<>(QueryLensConfig.UNIT_MAX_FINGERPRINTS, "unit.maxFingerprints", p -> p.unit.maxFingerprints),
            new Binding<>(QueryLensConfig.FINGERPRINT_CACHE_SIZE, "fingerprint.cacheSize", p -> p.fingerprint.cacheSize),
            new Binding<>(QueryLensConfig.FINGERPRINT_MAX_SQL_LENGTH, "fingerprint.maxSqlLength", p -> p.fingerprint.maxSqlLength),
            new Binding<>(QueryLensConfig.SQL_TEXT_BUDGET, "sql.textBudget", p -> p.sql.textBudget),
            new Binding<>(QueryLensConfig.CALLSITE_EXCLUDE_PACKAGES, "callsite.excludePackages", p -> trimmed(p.callsite.excludePackages)),
            new Binding<>(QueryLensConfig.LOG_FINDING_INTERVAL, "log.findingInterval", p -> p.log.findingInterval),
            new Binding<>(QueryLensConfig.WEB_EXCLUDE_PATHS, "web.excludePaths", p -> trimmed(p.web.excludePaths)),
            new Binding<>(QueryLensConfig.EXPLAIN_ENABLED, "explain.enabled", p -> p.explain.enabled),
            new Binding<>(QueryLensConfig.EXPLAIN_INTERVAL, "explain.interval", p -> p.explain.interval),
            new Binding<>(QueryLensConfig.EXPLAIN_MAX_PER_MINUTE, "explain.maxPerMinute", p -> p.explain.maxPerMinute),
            new Binding<>(QueryLensConfig.EXPLAIN_QUEUE_SIZE, "explain.queueSize", p -> p.explain.queueSize),
            new Binding<>(QueryLensConfig.EXPLAIN_CONNECTION_TIMEOUT, "explain.connectionTimeout", p -> p.explain.connectionTimeout),
            new Binding<>(QueryLensConfig.EXPLAIN_STATEMENT_TIMEOUT, "explain.statementTimeout", p -> p.explain.statementTimeout),
            new Binding<>(QueryLensConfig.EXPLAIN_LOCK_TIMEOUT, "explain.lockTimeout", p -> p.explain.lockTimeout),
            new Binding<>(QueryLensConfig.SEQSCAN_MIN_ROWS, "seqscan.minRows", p -> p.seqscan.minRows));

    /** A bound list without blank entries ({@code a,,b} or a trailing comma), as core's text reader reads it. */
    private static List<String> trimmed(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                out.add(v.trim());
            }
        }
        return List.copyOf(out);
    }

    /**
     * The core configuration, the bound values passed as they are.
     *
     * @throws InvalidConfigException when a value is out of range (binding reports it first, see {@link #validate})
     */
    public QueryLensConfig toConfig() {
        QueryLensConfig.Builder builder = QueryLensConfig.builder();
        for (Binding<?> b : BINDINGS) {
            set(builder, b);
        }
        return builder.build();
    }

    private <T> void set(QueryLensConfig.Builder builder, Binding<T> binding) {
        builder.set(binding.setting(), binding.value().apply(this));
    }

    @Override
    public boolean supports(Class<?> type) {
        return QueryLensProperties.class.isAssignableFrom(type);
    }

    /** Checks each core value against its definition's range; each one out of range becomes a field error on its key. */
    @Override
    public void validate(Object target, Errors errors) {
        QueryLensProperties p = (QueryLensProperties) target;
        for (Binding<?> b : BINDINGS) {
            Object value = b.value().apply(p);
            if (!b.setting().accepts(value)) {
                errors.rejectValue(b.path(), "querylens.invalid",
                        b.setting().rejection(value == null ? "" : b.setting().text(value)));
            }
        }
    }
}
