package dev.querylens.core;

import dev.querylens.core.detect.CallSite;
import dev.querylens.core.detect.CallSiteSource;
import dev.querylens.core.detect.Detector;
import dev.querylens.core.detect.Finding;
import dev.querylens.core.detect.FindingKind;
import dev.querylens.core.detect.RuleSettings;
import dev.querylens.core.detect.Rules;
import dev.querylens.core.explain.ExplainContext;
import dev.querylens.core.explain.ExplainSampler;
import dev.querylens.core.explain.ExplainSettings;
import dev.querylens.core.explain.ExplainTimeouts;
import dev.querylens.core.explain.SampledStatement;
import dev.querylens.core.jdbc.DelegatingJdbcProxyFactory;
import dev.querylens.core.jdbc.OpenConnectionIds;
import dev.querylens.core.sql.Fingerprint;
import dev.querylens.core.sql.Operation;
import dev.querylens.core.sql.SqlFingerprinter;
import dev.querylens.core.sql.SqlSyntax;
import dev.querylens.core.watchdog.DeadlineWatchdog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import net.ttddyy.dsproxy.ConnectionInfo;
import net.ttddyy.dsproxy.proxy.JdbcProxyFactory;
import net.ttddyy.dsproxy.proxy.NanoTimeStopwatchFactory;
import net.ttddyy.dsproxy.proxy.ProxyConfig;
import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.lang.ref.WeakReference;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * The Querylens engine: wraps JDBC with datasource-proxy, groups statements into units of work, finds N+1 and
 * duplicate queries, and publishes meters. Thread-safe; one instance per application.
 *
 * <pre>{@code
 * QueryLens lens = QueryLens.builder().meterRegistry(registry).build();
 * DataSource ds = lens.wrap(dataSource, "main");
 * try (UnitOfWork work = lens.begin("GET /orders/{id}")) {
 *     // JDBC through ds
 * }
 * }</pre>
 */
public final class QueryLens implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QueryLens.class);

    private final QueryLensConfig config;
    private final QueryLensMeters meters;
    private final SqlFingerprinter fingerprinter;
    private final CallSites callSites;
    private final InternalErrors errors;
    private final FindingStore findings;
    private final CurrentUnit current = new CurrentUnit();
    private final Detector detector;
    /** Null when EXPLAIN sampling is off. */
    private final ExplainSampler sampler;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    /**
     * Data sources by name, where the EXPLAIN sampler takes its own connections; empty when sampling is off. Held
     * weakly, so that a DataSource (and its application's class loader, after a redeploy) is never kept alive here.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, WeakReference<DataSource>> dataSources =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Live data sources remembered at most; a new one takes the place of one collected, or else of any other. */
    static final int MAX_DATA_SOURCES = 64;
    /**
     * How long the end of a unit waits for a thread it handed work to that is in the middle of recording one
     * statement (microseconds of work that cannot block): a bound for a thread descheduled for long.
     */
    static final long PART_WAIT_NANOS = 100_000_000L;
    private final ProxyConfig proxyConfig;
    private static final Operation[] OPERATIONS = Operation.values();
    // made once, not at the end of every unit of work
    private final Runnable latePart = this::latePart;
    private final java.util.function.UnaryOperator<String> tableTag;

    private QueryLens(Builder b) {
        this.config = b.config;
        this.meters = new QueryLensMeters(b.registry, config.endpointsMax(), config.tablesMax());
        this.errors = new InternalErrors(meters.internalErrors());
        // one budget of SQL text: three quarters to the fingerprint cache, one quarter to the findings
        long textBudget = config.sqlTextBudget();
        this.fingerprinter = new SqlFingerprinter(config.fingerprintMaxSqlLength(), config.fingerprintCacheSize(),
                textBudget - textBudget / 4, failure -> errors.report("fingerprint", failure));
        this.tableTag = meters::tableTag;
        this.callSites = b.callSites != null ? b.callSites : new CallSites(config.callSiteExcludePackages());
        this.findings = new FindingStore(config.findingsMax(), textBudget / 4, config.logFindingInterval().toNanos(),
                b.clock);
        RuleSettings rules = new RuleSettings(config.nPlusOneThreshold(), config.duplicatesThreshold(),
                config.unitMaxFingerprints(), config.unbatchedWritesThreshold());
        this.detector = new Detector(Rules.standard(rules), rules, new UnitCallSites());
        this.sampler = startSampler(b.explainWatchdog);
        Operation[] operations = Operation.values();
        Counter[] outsideUnits = new Counter[operations.length];
        for (Operation op : operations) {
            outsideUnits[op.ordinal()] = meters.none().statements(op);
        }
        this.proxyConfig = ProxyConfig.Builder.create()
                .queryListener(new StatementRecorder(current, fingerprinter, outsideUnits, detector, sampler,
                        b.observers.toArray(new StatementObserver[0]), errors))
                .stopwatchFactory(new NanoTimeStopwatchFactory())
                .connectionIdManager(new OpenConnectionIds())
                .jdbcProxyFactory(DelegatingJdbcProxyFactory.INSTANCE)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings for a {@link QueryLens}. */
    public static final class Builder {
        private MeterRegistry registry = Metrics.globalRegistry;
        private QueryLensConfig config = QueryLensConfig.defaults();
        private final List<StatementObserver> observers = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private CallSites callSites;
        private DeadlineWatchdog explainWatchdog;

        private Builder() {
        }

        /** Where meters go; Micrometer's global registry by default. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        public Builder config(QueryLensConfig config) {
            this.config = config;
            return this;
        }

        /** Reads configuration strictly from {@code querylens.*} keys; see {@link QueryLensConfig#from(Map)}. */
        public Builder config(Map<String, String> values) {
            return config(QueryLensConfig.from(values));
        }

        /**
         * Adds an observer of every statement, on the statement path: see {@link StatementObserver}. Observers are
         * called in the order they were added; each one's failure is caught on its own, so an observer that throws
         * keeps neither Querylens's counting nor the observers after it from seeing the statement.
         */
        public Builder observer(StatementObserver observer) {
            if (observer != null) {
                observers.add(observer);
            }
            return this;
        }

        /**
         * A thread that already runs (the agent's metrics endpoint) to bound the EXPLAIN sampler's borrows of
         * connections: the sampler's worker then borrows itself, interrupted at
         * {@code querylens.explain.connection-timeout}, instead of on a borrowing thread of its own. None by default.
         */
        public Builder explainWatchdog(DeadlineWatchdog watchdog) {
            this.explainWatchdog = watchdog;
            return this;
        }

        Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        Builder callSites(CallSites callSites) {
            this.callSites = callSites;
            return this;
        }

        public QueryLens build() {
            return new QueryLens(this);
        }
    }

    public QueryLensConfig config() {
        return config;
    }

    /** The findings seen so far, bounded by {@code querylens.findings.max}. */
    public FindingStore findings() {
        return findings;
    }

    public MeterRegistry meterRegistry() {
        return meters.registry();
    }

    private ExplainSampler startSampler(DeadlineWatchdog watchdog) {
        if (!config.enabled() || !config.explainEnabled() || config.explainMaxPerMinute() == 0) {
            return null;
        }
        try {
            ExplainSampler sampler = new ExplainSampler(new SamplerContext(), new ExplainSettings(config.explainInterval(),
                    config.explainMaxPerMinute(), config.explainQueueSize(), config.explainConnectionTimeout(),
                    new ExplainTimeouts(config.explainStatementTimeout(), config.explainLockTimeout()),
                    config.seqScanMinRows()), watchdog);
            closeWith(sampler);
            return sampler;
        } catch (Throwable t) {
            // no thread to be had, say: everything but EXPLAIN sampling goes on
            errors.report("explain-start", t);
            return null;
        }
    }

    /**
     * Call sites for the unit of work on this thread. A finding the store already holds for the unit's endpoint,
     * kind and statement keeps the call site it has, so an endpoint that makes it on every request walks the stack
     * once, not per request; while a view renders, only a call site recorded while a view rendered is taken, and the
     * other way round. Each new finding, and the first after one was evicted, walks the stack.
     */
    private final class UnitCallSites implements CallSiteSource {
        @Override
        public CallSite capture() {
            UnitOfWorkState unit = current.get();
            return callSites.capture(unit == null ? null : unit.viewHandler);
        }

        @Override
        public CallSite forFinding(FindingKind kind, Fingerprint statement) {
            UnitOfWorkState unit = current.get();
            Object view = unit == null ? null : unit.viewHandler;
            if (unit != null && unit != CurrentUnit.SUPPRESSED) {
                CallSite held = findings.callSite(kind, endpointSoFar(unit), statement.normalized());
                if (held != null && held.view() == (view != null)) {
                    return held;
                }
            }
            return callSites.capture(view);
        }
    }

    /** The unit's endpoint, as its namer tells it on the unit's own thread; never throws. */
    private String endpointSoFar(UnitOfWorkState unit) {
        java.util.function.Supplier<String> namer = unit.root == null ? unit.namer : null;
        if (namer != null) {
            try {
                String name = namer.get();
                if (name != null) {
                    return name;
                }
            } catch (Throwable t) {
                errors.report("endpoint-so-far", t);
            }
        }
        return unit.endpoint();
    }

    /** The sampler's view of this instance. */
    private final class SamplerContext implements ExplainContext {
        @Override
        public String callSite() {
            return callSites.capture();
        }

        @Override
        public AutoCloseable suppress() {
            return current.suppress();
        }

        @Override
        public DataSource dataSource(String name) {
            WeakReference<DataSource> ref = dataSources.get(name);
            return ref == null ? null : ref.get();
        }

        @Override
        public String normalize(String sql, SqlSyntax syntax) {
            return fingerprinter.normalize(sql, syntax);
        }

        @Override
        public void report(Finding finding) {
            QueryLens.this.report(finding);
        }

        @Override
        public void error(String place, Throwable error) {
            errors.report(place, error);
        }

        @Override
        public Counter outcomeCounter(String outcome) {
            return meters.explainOutcome(outcome);
        }
    }

    /** Closed with this instance: background parts such as the EXPLAIN sampler. */
    public synchronized void closeWith(AutoCloseable closeable) {
        closeables.add(closeable);
    }

    /**
     * A proxy of {@code dataSource} whose statements are recorded. Its type is datasource-proxy's, not the
     * original's; where the type must stay (a Spring bean, an agent), wrap connections with
     * {@link #wrapConnection(Connection, String)} instead. Disabled: returns {@code dataSource} itself.
     */
    public DataSource wrap(DataSource dataSource, String name) {
        if (!config.enabled() || dataSource instanceof ProxyJdbcObject) {
            return dataSource;
        }
        remember(name, dataSource);
        return JdbcProxyFactory.DEFAULT.createDataSource(dataSource,
                ProxyConfig.Builder.from(proxyConfig).dataSourceName(name).build());
    }

    /**
     * A proxy of {@code connection} whose statements are recorded, for code that must keep the application's
     * {@code DataSource} object untouched. A connection already wrapped by any copy of Querylens (the agent carries
     * its own, shaded) is returned as it is, so nothing is counted twice. Never throws: on failure the
     * application gets its own connection back.
     */
    public Connection wrapConnection(Connection connection, String dataSourceName) {
        return wrapConnection(connection, dataSourceName, null);
    }

    /**
     * As {@link #wrapConnection(Connection, String)}, naming the {@code DataSource} the connection came from, so the
     * EXPLAIN sampler can take connections of its own from it (never the application's).
     */
    public Connection wrapConnection(Connection connection, String dataSourceName, DataSource origin) {
        if (!config.enabled() || connection == null) {
            return connection;
        }
        try {
            if (isWrapped(connection)) {
                return connection;
            }
            if (origin != null) {
                remember(dataSourceName, origin);
            }
            ConnectionInfo info = new ConnectionInfo();
            info.setConnectionId(proxyConfig.getConnectionIdManager().getId(connection));
            info.setDataSourceName(dataSourceName);
            return proxyConfig.getJdbcProxyFactory().createConnection(connection, info, proxyConfig);
        } catch (Throwable t) {
            errors.report("wrap-connection", t);
            return connection;
        }
    }

    /** On each {@code getConnection}: one map read when the DataSource is known. */
    private void remember(String name, DataSource dataSource) {
        if (name == null || sampler == null) {
            return;
        }
        WeakReference<DataSource> known = dataSources.get(name);
        if (known != null && known.get() == dataSource) {
            return;
        }
        if (dataSources.size() >= MAX_DATA_SOURCES) {
            dataSources.values().removeIf(ref -> ref.get() == null);
            // all in use: one of them makes room, and is remembered again at its next connection
            java.util.Iterator<String> names = dataSources.keySet().iterator();
            while (dataSources.size() >= MAX_DATA_SOURCES && names.hasNext()) {
                dataSources.remove(names.next());
            }
        }
        dataSources.put(name, new WeakReference<>(dataSource));
    }

    /** Data sources remembered for EXPLAIN sampling that are still alive. */
    int knownDataSources() {
        int n = 0;
        for (WeakReference<DataSource> ref : dataSources.values()) {
            if (ref.get() != null) {
                n++;
            }
        }
        return n;
    }

    /**
     * True when {@code connection} was wrapped by Querylens: by this copy, or by another one such as the agent's
     * shaded copy (whose classes keep their names under another package prefix). A connection the application
     * wrapped with a datasource-proxy of its own is not Querylens's, and is wrapped again so that its statements are
     * counted.
     */
    public static boolean isWrapped(Connection connection) {
        if (connection instanceof ProxyJdbcObject proxy) {
            // this copy's wrappers, or this copy's datasource-proxy around someone's listeners
            return recordsIntoQuerylens(proxy.getProxyConfig().getQueryListener().getListeners());
        }
        Class<?> type = connection.getClass();
        boolean otherCopysProxy = Proxy.isProxyClass(type)
                && Proxy.getInvocationHandler(connection).getClass().getName().endsWith(DSPROXY_CONNECTION_HANDLER);
        if (!otherCopysProxy && !isQuerylensClass(type.getName(), WRAPPER_CONNECTION)) {
            return false;
        }
        try {
            // another copy's datasource-proxy: reached through its (public) interface, by reflection
            for (Class<?> i : type.getInterfaces()) {
                if (i.getName().endsWith(DSPROXY_JDBC_OBJECT)) {
                    Object config = i.getMethod("getProxyConfig").invoke(connection);
                    Object chain = config.getClass().getMethod("getQueryListener").invoke(config);
                    return recordsIntoQuerylens((List<?>) chain.getClass().getMethod("getListeners").invoke(chain));
                }
            }
            return false;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // an unknown datasource-proxy version: wrapping twice is the lesser harm than not counting
            return false;
        }
    }

    // Built at run time: shading rewrites string constants that start with a package it relocates.
    private static final String QUERYLENS_PREFIX = String.join(".", "dev", "querylens", "");
    private static final String WRAPPER_CONNECTION = ".core.jdbc.DelegatingConnection";
    private static final String RECORDER = ".core.StatementRecorder";
    private static final String DSPROXY_CONNECTION_HANDLER = "dsproxy.proxy.jdk.ConnectionInvocationHandler";
    private static final String DSPROXY_JDBC_OBJECT = "dsproxy.proxy.ProxyJdbcObject";

    /** {@code dev.querylens.core.X} in this copy, {@code dev.querylens.agent.shaded.core.X} in the agent's. */
    private static boolean isQuerylensClass(String className, String suffix) {
        return className.startsWith(QUERYLENS_PREFIX) && className.endsWith(suffix);
    }

    private static boolean recordsIntoQuerylens(List<?> listeners) {
        for (Object listener : listeners) {
            if (isQuerylensClass(listener.getClass().getName(), RECORDER)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Begins a unit of work on this thread, or joins the one already open. A unit whose beginning handle was closed
     * on another thread has ended: this thread no longer is in it, and begins afresh. Never throws.
     *
     * @param endpoint what the unit is recorded under, e.g. {@code GET /orders/{id}} or {@code nightly-invoicing}
     */
    public UnitOfWork begin(String endpoint) {
        if (!config.enabled()) {
            return UnitOfWork.NOOP;
        }
        try {
            UnitOfWorkState outer = current.get();
            if (outer == CurrentUnit.SUPPRESSED) {
                return UnitOfWork.NOOP;
            }
            if (outer != null && outer.ended()) {
                // closed on another thread (an async completion): this thread starts afresh
                outer = null;
            }
            if (outer != null) {
                outer.depth++;
                return new UnitOfWorkHandle(outer, false);
            }
            UnitOfWorkState work = new UnitOfWorkState(endpoint == null ? QueryLensMeters.OTHER : endpoint);
            current.set(work);
            return new UnitOfWorkHandle(work, true);
        } catch (Throwable t) {
            errors.report("begin", t);
            return UnitOfWork.NOOP;
        }
    }

    /**
     * Counts a failure caught in code that runs Querylens inside the application (the starter's interceptors, the
     * agent's hooks) in {@code querylens.internal.errors} and logs the first one of each {@code place}. Never throws.
     */
    public void internalError(String place, Throwable error) {
        errors.report(place, error);
    }

    /**
     * Marks the unit of work on this thread as rendering the view that {@code handler} produced (Spring MVC's
     * {@code HandlerMethod}, or the handler's name), or, with {@code null}, as done rendering. Statements that break
     * a rule meanwhile name the handler method and say the load happened during view rendering. Never throws.
     */
    public void viewRendering(Object handler) {
        try {
            UnitOfWorkState unit = current.get();
            if (unit != null && unit != CurrentUnit.SUPPRESSED) {
                unit.viewHandler = handler;
            }
        } catch (Throwable t) {
            errors.report("view-rendering", t);
        }
    }

    /** True when a unit of work is open on this thread. */
    public boolean inUnitOfWork() {
        UnitOfWorkState w = current.get();
        return w != null && w != CurrentUnit.SUPPRESSED && !w.ended();
    }

    /**
     * Runs Querylens's own SQL (EXPLAIN, table sizes) on this thread without counting or sampling it. Close the
     * returned scope in a finally block.
     */
    public AutoCloseable suppress() {
        return current.suppress();
    }

    /**
     * The unit of work open on this thread, to carry into work this thread hands to another one; {@code null} when
     * none is open (or Querylens is disabled). Costs a thread-local read: it allocates nothing.
     *
     * <pre>{@code
     * CarriedUnit unit = lens.carry();             // on the thread that submits the task
     * executor.execute(() -> {
     *     try (CarriedUnit.Scope s = lens.attach(unit)) {   // on the thread that runs it
     *         // JDBC here counts in the unit
     *     }
     * });
     * }</pre>
     *
     * {@link #wrap(Runnable)}, {@link #wrap(Callable)} and {@link #wrap(Executor)} do this for you.
     */
    public CarriedUnit carry() {
        UnitOfWorkState w = current.get();
        return w == null || w == CurrentUnit.SUPPRESSED || w.ended() ? null : w.unit();
    }

    /**
     * Makes this thread's statements count in {@code unit} (from {@link #carry()} on another thread) until the
     * returned scope is closed; the thread then goes back to the unit it was in, if any. Each thread records into a
     * part of the unit of its own, without locks; the unit's end merges the parts, so counts are exact and a loop
     * spread over several threads is still an N+1. Once the unit has ended, and for a {@code null} unit, the
     * statements count under {@code none}: they are never added to a unit already published. Never throws.
     */
    public CarriedUnit.Scope attach(CarriedUnit unit) {
        if (!config.enabled()) {
            return CarriedUnit.Scope.NOOP;
        }
        try {
            UnitOfWorkState previous = current.get();
            if (previous == CurrentUnit.SUPPRESSED) {
                return CarriedUnit.Scope.NOOP;
            }
            if (previous != null && previous.ended()) {
                previous = null;
            }
            UnitOfWorkState root = (UnitOfWorkState) unit;
            if (root != null && previous != null && previous.unit() == root) {
                return CarriedUnit.Scope.NOOP;
            }
            UnitOfWorkState part = root == null ? null : root.partFor(Thread.currentThread());
            if (part == null && previous == null) {
                return CarriedUnit.Scope.NOOP;
            }
            if (part != null && part.statements == 0 && part.detection.tracked() == 0) {
                part.detection.continueFrom(root.detection);
            }
            current.set(part);
            return new AttachScope(previous);
        } catch (Throwable t) {
            errors.report("attach", t);
            return CarriedUnit.Scope.NOOP;
        }
    }

    /** Puts the thread back in the unit it was in before {@link #attach}. */
    private final class AttachScope implements CarriedUnit.Scope {
        private final UnitOfWorkState previous;
        private boolean closed;

        AttachScope(UnitOfWorkState previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                current.restore(previous);
            }
        }
    }

    /**
     * {@code task}, run in the unit of work open on this thread now (see {@link #carry()}); {@code task} itself when
     * none is open.
     */
    public Runnable wrap(Runnable task) {
        CarriedUnit unit = carry();
        return unit == null || task == null ? task : new CarryingTasks.CarryingRunnable(this, unit, task);
    }

    /** As {@link #wrap(Runnable)}, for a {@link Callable}. */
    public <V> Callable<V> wrap(Callable<V> task) {
        CarriedUnit unit = carry();
        return unit == null || task == null ? task : new CarryingTasks.CarryingCallable<>(this, unit, task);
    }

    /**
     * An executor that runs each task in the unit of work that was open on the thread that submitted it: for the
     * application's own pools, which Querylens does not see otherwise. The agent and the starter carry units into
     * the executors they know of without this.
     */
    public Executor wrap(Executor executor) {
        return executor instanceof CarryingTasks.CarryingExecutor || executor == null ? executor
                : new CarryingTasks.CarryingExecutor(this, executor);
    }

    /** As {@link #wrap(Executor)}, keeping the {@link ExecutorService} API (submit, invokeAll, shutdown...). */
    public ExecutorService wrap(ExecutorService executor) {
        return executor instanceof CarryingTasks.CarryingExecutorService || executor == null ? executor
                : new CarryingTasks.CarryingExecutorService(this, executor);
    }

    /**
     * What {@link #begin} hands out: a {@link UnitOfWork} over a {@link UnitOfWorkState}. The handle that began the
     * unit ends it; a joined handle only leaves it.
     */
    private final class UnitOfWorkHandle implements UnitOfWork {
        private final UnitOfWorkState work;
        private final boolean owner;
        private boolean closed;

        UnitOfWorkHandle(UnitOfWorkState work, boolean owner) {
            this.work = work;
            this.owner = owner;
        }

        @Override
        public void endpoint(String endpoint) {
            if (owner && endpoint != null) {
                work.endpoint = endpoint;
            }
        }

        @Override
        public String endpoint() {
            return work.endpoint();
        }

        @Override
        public void endpointSoFar(java.util.function.Supplier<String> namer) {
            if (owner) {
                work.namer = namer;
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            work.depth--;
            if (!owner) {
                return;
            }
            // the namer may hold the request: nothing keeps it once the unit ends
            work.namer = null;
            current.leave(work);
            try {
                finish(work);
            } catch (Throwable t) {
                errors.report("unit-end", t);
            }
        }
    }

    private void finish(UnitOfWorkState work) {
        for (UnitOfWorkState part = work.end(PART_WAIT_NANOS, latePart); part != null; part = part.next()) {
            merge(work, part);
        }
        QueryLensMeters.EndpointMeters m = meters.endpoint(work.endpoint);
        for (int i = 0; i < OPERATIONS.length; i++) {
            if (work.operationCounts[i] > 0) {
                m.statements(OPERATIONS[i]).increment(work.operationCounts[i]);
            }
        }
        if (work.pendingExplains != null && sampler != null) {
            sampler.submit(work.pendingExplains, m.endpoint);
        }
        m.perUnit.record(work.statements);
        m.dbTime.record(work.dbNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        detector.findings(work.detection, m.endpoint, tableTag, finding -> publish(m, finding));
        if (log.isDebugEnabled()) {
            log.debug("[querylens] {}: {} statements ({} select, {} insert, {} update, {} delete), {} ms in JDBC, "
                            + "{} distinct statements{}", work.endpoint, work.statements,
                    work.operationCounts[Operation.SELECT.ordinal()], work.operationCounts[Operation.INSERT.ordinal()],
                    work.operationCounts[Operation.UPDATE.ordinal()], work.operationCounts[Operation.DELETE.ordinal()],
                    work.dbNanos / 1_000_000, work.detection.tracked(),
                    work.detection.untracked() > 0 ? ", " + work.detection.untracked()
                            + " not analysed (querylens.unit.max-fingerprints)" : "");
        }
    }

    /** Adds what one thread the unit handed work to recorded; that thread no longer writes to {@code part}. */
    private void merge(UnitOfWorkState work, UnitOfWorkState part) {
        for (int i = 0; i < work.operationCounts.length; i++) {
            work.operationCounts[i] += part.operationCounts[i];
        }
        work.statements += part.statements;
        work.dbNanos += part.dbNanos;
        detector.merge(work.detection, part.detection);
        if (part.pendingExplains != null && sampler != null) {
            for (SampledStatement task : part.pendingExplains) {
                work.pendingExplains = sampler.hold(work.pendingExplains, task);
            }
        }
    }

    private void latePart() {
        errors.report("unit-end", new IllegalStateException("a thread of the unit of work did not finish recording "
                + "its statement within " + PART_WAIT_NANOS / 1_000_000 + " ms; its statements are left out"));
    }

    /**
     * Records a finding made outside the statement path (the EXPLAIN sampler's sequential scans): counts it in
     * the meters, keeps it in the store and logs it (rate-limited). Never throws.
     */
    public void report(Finding finding) {
        try {
            QueryLensMeters.EndpointMeters m = meters.endpoint(finding.endpoint());
            String table = meters.tableTag(finding.table());
            if (!m.endpoint.equals(finding.endpoint()) || !table.equals(finding.table())) {
                finding = new Finding(finding.kind(), m.endpoint, table, finding.sql(), finding.count(),
                        finding.parentQuery(), finding.callSite(), finding.hint(), finding.details());
            }
            publish(m, finding);
        } catch (Throwable t) {
            errors.report("report-finding", t);
        }
    }

    private void publish(QueryLensMeters.EndpointMeters m, Finding finding) {
        m.findings(finding.kind(), finding.table()).increment();
        if (findings.record(finding, System.nanoTime())) {
            log.warn("[querylens] {}", describe(finding));
        }
    }

    /** One line a person can act on. Holds normalized SQL only. */
    static String describe(Finding f) {
        StringBuilder sb = new StringBuilder(256);
        switch (f.kind()) {
            case N_PLUS_ONE -> sb.append("N+1 in ").append(f.endpoint()).append(": ").append(f.count())
                    .append(" executions of \"").append(f.sql()).append('"');
            case DUPLICATE -> sb.append("Duplicate query in ").append(f.endpoint()).append(": ").append(f.count())
                    .append(" executions with the same values of \"").append(f.sql()).append('"');
            case UNBATCHED_WRITES -> sb.append("Unbatched writes in ").append(f.endpoint()).append(": ").append(f.count())
                    .append(" executions, one statement at a time, of \"").append(f.sql()).append('"');
            case SEQ_SCAN -> sb.append("Sequential scan in ").append(f.endpoint()).append(" of \"").append(f.sql())
                    .append('"');
        }
        sb.append(" (table ").append(f.table()).append(')');
        if (f.parentQuery() != null) {
            sb.append(", once per row of \"").append(f.parentQuery()).append('"');
        }
        boolean view = "view rendering".equals(f.details().get("during"));
        f.details().forEach((k, v) -> {
            if (!view || (!k.equals("during") && !k.equals("frame"))) {
                sb.append(", ").append(k).append(' ').append(v);
            }
        });
        if (view) {
            sb.append("; loaded while the view of ").append(f.callSite()).append(" rendered");
            if (f.details().get("frame") != null) {
                sb.append(" (at ").append(f.details().get("frame")).append(')');
            }
        } else {
            sb.append(f.callSite() == null ? "; call site unknown" : "; at " + f.callSite());
        }
        sb.append(". Fix: ").append(f.hint());
        return sb.toString();
    }

    /** Stops background parts (the EXPLAIN sampler). Meters stay registered. */
    @Override
    public synchronized void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Throwable t) {
                errors.report("close", t);
            }
        }
        closeables.clear();
    }
}
