package dev.querylens.core;

import dev.querylens.core.detect.FindingKind;
import dev.querylens.core.sql.Operation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The meters of one {@link QueryLens}. Meters are created once per endpoint (and table) and kept, so recording
 * never looks a meter up in the registry. Tag values are bounded: past {@code querylens.endpoints.max} endpoints and
 * {@code querylens.tables.max} tables, new values are recorded as {@code OTHER}.
 */
public final class QueryLensMeters {

    public static final String STATEMENTS = "querylens.statements";
    public static final String REQUEST_STATEMENTS = "querylens.request.statements";
    public static final String REQUEST_DB_TIME = "querylens.request.db.time";
    public static final String NPLUSONE = "querylens.nplusone";
    public static final String DUPLICATES = "querylens.duplicates";
    public static final String UNBATCHED_WRITES = "querylens.unbatched.writes";
    public static final String SEQSCAN = "querylens.seqscan";
    public static final String EXPLAIN = "querylens.explain";
    public static final String INTERNAL_ERRORS = "querylens.internal.errors";

    /** Endpoint of statements run outside any unit of work. */
    public static final String NO_ENDPOINT = "none";
    /** Tag value that stands for every value past a bound. */
    public static final String OTHER = "OTHER";
    /** Table tag when the statement's table could not be read. */
    public static final String UNKNOWN_TABLE = "unknown";

    private static final double[] STATEMENT_BUCKETS = {1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000};
    private static final Duration[] DB_TIME_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private static final Operation[] OPERATIONS = Operation.values();

    /** The meters of one endpoint; per-operation and per-table counters are made when first needed. */
    final class EndpointMeters {
        final String endpoint;
        final Counter[] statements = new Counter[OPERATIONS.length];
        final DistributionSummary perUnit;
        final Timer dbTime;
        private final ConcurrentHashMap<String, Counter> nPlusOne = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Counter> duplicates = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Counter> unbatchedWrites = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Counter> seqScans = new ConcurrentHashMap<>();

        EndpointMeters(String endpoint) {
            this(endpoint, true);
        }

        /** Statements outside units of work have no unit to record, so {@code none} gets statement counters only. */
        EndpointMeters(String endpoint, boolean perUnitMeters) {
            this.endpoint = endpoint;
            if (!perUnitMeters) {
                this.perUnit = null;
                this.dbTime = null;
                return;
            }
            this.perUnit = register(r -> DistributionSummary.builder(REQUEST_STATEMENTS)
                    .description("SQL statements per unit of work (HTTP request or job)")
                    .tag("endpoint", endpoint)
                    .serviceLevelObjectives(STATEMENT_BUCKETS)
                    .register(r));
            this.dbTime = register(r -> Timer.builder(REQUEST_DB_TIME)
                    .description("Time spent in JDBC statements per unit of work")
                    .tag("endpoint", endpoint)
                    .serviceLevelObjectives(DB_TIME_BUCKETS)
                    .register(r));
        }

        /** Not on the statement path for units of work: called once per operation per unit, at its end. */
        Counter statements(Operation op) {
            Counter c = statements[op.ordinal()];
            if (c == null) {
                // a racing thread builds the same meter: Micrometer hands both the one registered instance
                c = register(r -> Counter.builder(STATEMENTS)
                        .description("SQL statements executed, by endpoint and operation")
                        .tag("endpoint", endpoint)
                        .tag("operation", op.tag())
                        .register(r));
                statements[op.ordinal()] = c;
            }
            return c;
        }

        Counter findings(FindingKind kind, String table) {
            String t = boundedTable(table);
            ConcurrentHashMap<String, Counter> known = switch (kind) {
                case N_PLUS_ONE -> nPlusOne;
                case DUPLICATE -> duplicates;
                case UNBATCHED_WRITES -> unbatchedWrites;
                case SEQ_SCAN -> seqScans;
            };
            Counter counter = known.get(t);
            if (counter != null) {
                // the usual case, without the capturing lambda below
                return counter;
            }
            return switch (kind) {
                case N_PLUS_ONE -> nPlusOne.computeIfAbsent(t, x -> findingCounter(NPLUSONE,
                        "N+1 findings: units of work where one SELECT ran once per row", x));
                case DUPLICATE -> duplicates.computeIfAbsent(t, x -> findingCounter(DUPLICATES,
                        "Duplicate findings: units of work that ran one SELECT with the same values several times", x));
                case UNBATCHED_WRITES -> unbatchedWrites.computeIfAbsent(t, x -> findingCounter(UNBATCHED_WRITES,
                        "Unbatched-writes findings: units of work that ran one INSERT, UPDATE, DELETE or MERGE statement by statement", x));
                case SEQ_SCAN -> seqScans.computeIfAbsent(t, x -> findingCounter(SEQSCAN,
                        "Sequential scans of big tables found in sampled EXPLAIN plans", x));
            };
        }

        private Counter findingCounter(String name, String description, String table) {
            return register(r -> Counter.builder(name).description(description)
                    .tag("endpoint", endpoint).tag("table", table).register(r));
        }
    }

    private static final Logger log = LoggerFactory.getLogger(QueryLens.class);

    private final MeterRegistry registry;
    /** Where meters the application's registry refused go: kept so that recording never fails, never published. */
    private final MeterRegistry refusedMeters = new SimpleMeterRegistry();
    private volatile boolean refusalLogged;
    private final int endpointsMax;
    private final int tablesMax;
    private final ConcurrentHashMap<String, EndpointMeters> endpoints = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> tables = new ConcurrentHashMap<>();
    private final Counter internalErrors;
    private final EndpointMeters none;

    QueryLensMeters(MeterRegistry registry, int endpointsMax, int tablesMax) {
        this.registry = registry;
        this.endpointsMax = endpointsMax;
        this.tablesMax = tablesMax;
        this.internalErrors = register(r -> Counter.builder(INTERNAL_ERRORS)
                .description("Failures caught inside Querylens; the application's statements were not affected")
                .register(r));
        if (refusalLogged) {
            // the refusal of this very counter
            internalErrors.increment();
        }
        this.none = new EndpointMeters(NO_ENDPOINT, false);
        for (Operation op : OPERATIONS) {
            none.statements(op);
        }
    }

    /**
     * Registers a meter in the application's registry; when that registry refuses it (a meter filter or a registry
     * implementation that throws), in a private one instead, so that Querylens and the application go on. The
     * failure is counted and logged once.
     */
    private <M extends Meter> M register(Function<MeterRegistry, M> meter) {
        try {
            return meter.apply(registry);
        } catch (Throwable t) {
            refused(t);
            return meter.apply(refusedMeters);
        }
    }

    private void refused(Throwable t) {
        try {
            if (internalErrors != null) {
                internalErrors.increment();
            }
            if (!refusalLogged) {
                refusalLogged = true;
                log.warn("[querylens] the meter registry refused a Querylens meter; such meters are kept aside and not "
                        + "published (later refusals are only counted in {}): {}", INTERNAL_ERRORS, t.toString(), t);
            }
        } catch (Throwable ignored) {
            // the error path itself must not fail the application
        }
    }

    MeterRegistry registry() {
        return registry;
    }

    Counter internalErrors() {
        return internalErrors;
    }

    /** The {@code querylens.explain} counter of one sampling outcome; made once per outcome by the sampler. */
    Counter explainOutcome(String outcome) {
        return register(r -> Counter.builder(EXPLAIN)
                .description("Sampled EXPLAIN plans by outcome")
                .tag("outcome", outcome)
                .register(r));
    }

    /** Meters of statements outside any unit of work: looked up once, incremented per statement. */
    EndpointMeters none() {
        return none;
    }

    /** The meters of an endpoint, or of {@code OTHER} once the bound is reached. Called once per unit of work. */
    EndpointMeters endpoint(String endpoint) {
        EndpointMeters m = endpoints.get(endpoint);
        if (m != null) {
            return m;
        }
        if (endpoints.size() >= endpointsMax) {
            return endpoints.computeIfAbsent(OTHER, EndpointMeters::new);
        }
        return endpoints.computeIfAbsent(endpoint, EndpointMeters::new);
    }

    private String boundedTable(String table) {
        if (table == null) {
            return UNKNOWN_TABLE;
        }
        String t = tables.get(table);
        if (t != null) {
            return t;
        }
        if (tables.size() >= tablesMax) {
            return OTHER;
        }
        return tables.computeIfAbsent(table, x -> x);
    }

    /** The table as tagged and as the findings name it. */
    String tableTag(String table) {
        return boundedTable(table);
    }
}
