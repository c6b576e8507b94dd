package dev.querylens.core.explain;

import dev.querylens.core.detect.Finding;
import dev.querylens.core.detect.FindingKind;
import dev.querylens.core.jdbc.DataSourceTopology;
import dev.querylens.core.sql.Fingerprint;
import dev.querylens.core.sql.Operation;
import dev.querylens.core.sql.ParsedSql;
import dev.querylens.core.sql.SqlErrors;
import dev.querylens.core.watchdog.DeadlineWatchdog;
import io.micrometer.core.instrument.Counter;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Samples EXPLAIN plans of the application's SELECTs and reports sequential scans of big tables. On the
 * application's thread it only decides whether to sample ({@link SampleScheduler}: one map read in the common case)
 * and, for a sampled statement, copies its bind values. One background thread takes sampled statements from a
 * bounded queue and explains them on connections of its own from the statement's {@code DataSource}
 * ({@link PoolProbe}), never the application's connection or transaction; table sizes come from a
 * {@link TableSizeCache}, and {@link TimeoutClassifier} tells a timeout from a lasting failure.
 *
 * <p>The thread is started by the first sample queued, and ends once the queue has stayed empty for
 * {@link #WORKER_IDLE_NANOS}; the next sample starts another. An application that is never sampled (EXPLAIN on,
 * but no SELECT, or none due) never has it. Given a {@link DeadlineWatchdog}, samples go to the watchdog's own
 * thread first, one per pass of it: a sample whose pool bounds its own borrow (HikariCP) is taken there, its network
 * reads bounded too, so that no thread is started for it; any other goes on to the worker, which borrows its
 * connections itself, the watchdog bounding the wait. Without one, each borrow runs on a short-lived borrowing
 * thread ({@link PoolProbe}).
 *
 * <p>Bounds: {@code querylens.explain.queue-size} queued statements for the worker and as many for the watchdog's
 * thread, {@value #MAX_PENDING_PER_UNIT} held per unit of work, and those of the scheduler and the table-size cache.
 */
public final class ExplainSampler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExplainSampler.class);

    /** Bound of a unit of work's sampled statements; past it a unit's further samples are dropped and counted. */
    public static final int MAX_PENDING_PER_UNIT = 16;

    /** How long the worker waits for the next sample before it ends (5 s). */
    static final long WORKER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(5);
    static final String WORKER_NAME = "querylens-explain";

    /** Outcomes of the {@code querylens.explain} counter. */
    enum Outcome { OK, SEQSCAN, SKIPPED, TIMEOUT, ERROR, UNSUPPORTED }

    private final ExplainContext context;
    private final SampleScheduler scheduler;
    private final PoolProbe pool;
    private final TableSizeCache tableSizes = new TableSizeCache();
    private final ProblemLog problems = new ProblemLog();
    private final ExplainTimeouts timeouts;
    /**
     * Bound of each network read of a sample on the watchdog's thread: the statement timeout and 3 s more, so that
     * the server's own answer to a timed-out statement (or MySQL's query timeout, a whole second past it) comes first.
     */
    private final int networkBoundMillis;
    private final ScanJudge judge;
    private final ConcurrentHashMap<String, Dialect> dialects = new ConcurrentHashMap<>();
    private final ArrayBlockingQueue<SampledStatement> queue;
    private final Counter[] outcomes = new Counter[Outcome.values().length];
    /**
     * The context class loader of the thread that built the sampler, for every thread the sampler starts later (from
     * whichever application thread queues a sample): the same one an eagerly started thread would have inherited.
     */
    private final ClassLoader contextLoader;
    /**
     * True from the moment a worker is due until it decides to end with an empty queue: whoever queues a sample and
     * turns this from false to true starts the worker, so at most one runs and no queued sample is left without one.
     */
    private final AtomicBoolean workerDue = new AtomicBoolean();
    private volatile Thread worker;
    /** Null: no thread of the agent's to take samples on. */
    private final DeadlineWatchdog watchdog;
    /** Samples for the watchdog's thread; those it cannot take there go on to {@link #queue}. */
    private final ArrayBlockingQueue<SampledStatement> hostQueue;
    /**
     * True from the moment a drain is due on the watchdog's thread until the drain finds the host queue empty: whoever
     * queues a sample and turns this from false to true hands the watchdog a drain, so at most one is pending.
     */
    private final AtomicBoolean hostDue = new AtomicBoolean();
    /** The watchdog refused a drain (it stopped): every sample goes to the worker from now. */
    private volatile boolean hostGone;
    private final Runnable hostDrain = this::drainOnHost;
    private volatile boolean closed;

    public ExplainSampler(ExplainContext context, ExplainSettings settings) {
        this(context, settings, null);
    }

    /**
     * With a {@code watchdog}, the worker borrows its connections itself, the watchdog bounding the wait
     * ({@link PoolProbe}); {@code null}: each borrow on a borrowing thread.
     */
    public ExplainSampler(ExplainContext context, ExplainSettings settings, DeadlineWatchdog watchdog) {
        this.context = context;
        this.contextLoader = Thread.currentThread().getContextClassLoader();
        this.scheduler = new SampleScheduler(settings.interval().toNanos(), settings.maxPerMinute());
        this.pool = new PoolProbe(context, problems, Math.max(1, settings.connectionTimeout().toMillis()), contextLoader,
                watchdog);
        this.timeouts = settings.timeouts();
        this.networkBoundMillis = (int) Math.min(Integer.MAX_VALUE, timeouts.statement().toMillis() + 3_000);
        this.judge = new ScanJudge(settings.seqScanMinRows());
        this.queue = new ArrayBlockingQueue<>(settings.queueSize());
        this.watchdog = watchdog;
        this.hostQueue = watchdog == null ? null : new ArrayBlockingQueue<>(settings.queueSize());
        for (Outcome o : Outcome.values()) {
            outcomes[o.ordinal()] = context.outcomeCounter(o.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /**
     * A daemon thread that keeps nothing of the thread that makes it: not its inheritable thread-locals, not its
     * context class loader ({@code contextLoader} instead), not the protection domains on its stack (JDK 17 to 23
     * keep those of the calling frames for the thread's whole life). Made from an application thread, it would
     * otherwise hold that application's class loader for as long as it runs.
     */
    @SuppressWarnings({"removal", "deprecation"})
    static Thread daemon(Runnable r, String name, ClassLoader contextLoader) {
        return java.security.AccessController.doPrivileged((java.security.PrivilegedAction<Thread>) () -> {
            Thread t = new Thread(null, r, name, 0, false);
            t.setDaemon(true);
            t.setContextClassLoader(contextLoader);
            return t;
        });
    }

    /**
     * On the statement path: decides whether to sample (one map read in the common case). Returns the sampled
     * statement, or {@code null}. A statement sampled in a unit of work waits in the unit ({@link #hold}) until it
     * ends ({@link #submit(List, String)}); outside any unit it is submitted at once.
     */
    public SampledStatement onStatement(ParsedSql sql, ExecutionInfo execution, QueryInfo query) {
        Fingerprint fp = sql.fingerprint();
        // SQL longer than querylens.fingerprint.max-sql-length is never held in a sample: it is what keeps the SQL
        // text a queued sample holds bounded
        if (fp.operation() != Operation.SELECT || execution.isBatch() || !execution.isSuccess() || fp.truncated()) {
            return null;
        }
        if (!scheduler.take(fp, System.nanoTime())) {
            return null;
        }
        List<Object> binds = BindValues.copy(query);
        if (binds == null) {
            // the application's byte arrays, streams and LOBs are never kept, nor read again
            scheduler.never(fp);
            notExplained(fp, BindValues.refusal(query));
            count(Outcome.SKIPPED);
            return null;
        }
        return new SampledStatement(null, fp, query.getQuery(), binds, execution.getDataSourceName(),
                context.callSite());
    }

    /**
     * Adds {@code sampled} to a unit of work's sampled statements ({@code null} when it has none yet), at most
     * {@value #MAX_PENDING_PER_UNIT}; returns the unit's list.
     */
    public List<SampledStatement> hold(List<SampledStatement> pending, SampledStatement sampled) {
        if (pending == null) {
            pending = new ArrayList<>(2);
            pending.add(sampled);
        } else if (pending.size() < MAX_PENDING_PER_UNIT) {
            pending.add(sampled);
        } else {
            count(Outcome.SKIPPED);
        }
        return pending;
    }

    /** Queues a statement sampled outside any unit of work, under {@code endpoint}. */
    public void submit(SampledStatement sampled, String endpoint) {
        offer(sampled.named(endpoint));
    }

    /** Queues a unit's sampled statements under the unit's final endpoint name. */
    public void submit(List<SampledStatement> pending, String endpoint) {
        for (SampledStatement sampled : pending) {
            offer(sampled.named(endpoint));
        }
    }

    private void offer(SampledStatement sampled) {
        if (hostQueue != null && !hostGone) {
            if (closed || !hostQueue.offer(sampled)) {
                count(Outcome.SKIPPED);
                return;
            }
            if (hostGone) {
                handHostQueueToWorker(); // read after the offer: whoever saw the watchdog refuse may have missed it
            } else if (!hostDue.get() && hostDue.compareAndSet(false, true)) {
                scheduleHostDrain();
            }
            return;
        }
        toWorker(sampled);
    }

    /** With {@link #hostDue} set: the watchdog's thread drains next; when it refuses, the worker takes the rest. */
    private void scheduleHostDrain() {
        boolean accepted;
        try {
            accepted = watchdog.runOnOwnThread(hostDrain);
        } catch (Throwable t) {
            context.error("explain-host", t);
            accepted = false;
        }
        if (!accepted) {
            hostGone = true;
            handHostQueueToWorker();
        }
    }

    private void handHostQueueToWorker() {
        SampledStatement s;
        while ((s = hostQueue.poll()) != null) {
            toWorker(s);
        }
    }

    /**
     * On the watchdog's thread: one sample, then the watchdog's own work again before the next (its alarms and its
     * connections wait for one sample at most). Never throws.
     */
    private void drainOnHost() {
        try {
            SampledStatement task = hostQueue.poll();
            if (task != null) {
                takeOnHost(task);
            }
        } catch (Throwable t) {
            try {
                context.error("explain-host", t);
            } catch (Throwable ignored) {
                // nothing left to tell it to
            }
        } finally {
            if (!hostQueue.isEmpty()) {
                scheduleHostDrain(); // hostDue stays set
            } else {
                hostDue.set(false);
                // a sample queued after the isEmpty saw hostDue still set and left the drain to this one
                if (!hostQueue.isEmpty() && hostDue.compareAndSet(false, true)) {
                    scheduleHostDrain();
                }
            }
        }
    }

    /**
     * A sample whose pool bounds its own borrow is taken here, with the sampler's context class loader; any other
     * goes on to the worker, whose borrow the watchdog can interrupt.
     */
    private void takeOnHost(SampledStatement task) {
        if (closed) {
            count(Outcome.SKIPPED);
            return;
        }
        DataSource dataSource = dataSourceOf(task);
        PoolProbe.TimedBorrow timed = dataSource == null ? null : PoolProbe.timedBorrow(dataSource);
        if (timed == null) {
            toWorker(task);
            return;
        }
        Thread host = Thread.currentThread();
        ClassLoader loader = host.getContextClassLoader();
        host.setContextClassLoader(contextLoader);
        try {
            explain(task, timed);
        } finally {
            host.setContextClassLoader(loader);
        }
    }

    /** The DataSource {@code task}'s statement ran on, while it is alive; null when unknown. */
    private DataSource dataSourceOf(SampledStatement task) {
        return task.dataSourceName() == null ? null : context.dataSource(task.dataSourceName());
    }

    private void toWorker(SampledStatement sampled) {
        if (closed || !queue.offer(sampled)) {
            count(Outcome.SKIPPED);
            return;
        }
        // after the offer: a worker that found the queue empty has cleared workerDue before looking
        if (!workerDue.get() && workerDue.compareAndSet(false, true)) {
            startWorker();
        }
    }

    private void startWorker() {
        try {
            Thread t = daemon(this::run, WORKER_NAME, contextLoader);
            worker = t;
            t.start();
        } catch (Throwable t) {
            // no thread to be had now: the queued samples wait for the next sample to try again
            workerDue.set(false);
            context.error("explain-start", t);
        }
    }

    private void run() {
        while (!closed) {
            SampledStatement task;
            try {
                task = queue.poll(WORKER_IDLE_NANOS, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                continue; // close() interrupts; anything else that does is no reason to stop
            }
            if (task != null) {
                explain(task, null);
            } else if (endIdle()) {
                return;
            }
        }
    }

    /**
     * Whether the worker may end: the queue stayed empty. A sample queued after the poll gave up either sees
     * workerDue cleared and starts a worker of its own, or is seen here (and this one goes on).
     */
    private boolean endIdle() {
        workerDue.set(false);
        return queue.isEmpty() || !workerDue.compareAndSet(false, true);
    }

    /**
     * Never throws, whatever a sample or its accounting throws: the worker must outlive every sample. {@code timed}:
     * the sample's pool bounds its own borrow, and the sample runs on the watchdog's thread; null on the worker.
     */
    private void explain(SampledStatement task, PoolProbe.TimedBorrow timed) {
        try {
            Outcome outcome;
            try (AutoCloseable suppressed = context.suppress()) {
                outcome = sample(task, timed);
            } catch (Throwable t) {
                context.error("explain", t);
                outcome = Outcome.ERROR;
            }
            count(outcome);
        } catch (Throwable t) {
            try {
                context.error("explain-accounting", t);
            } catch (Throwable ignored) {
                // nothing left to tell it to
            }
        }
    }

    private Outcome sample(SampledStatement task, PoolProbe.TimedBorrow timed) throws Exception {
        DataSource dataSource = dataSourceOf(task);
        if (dataSource == null) {
            return Outcome.SKIPPED;
        }
        if (DataSourceTopology.routesByThread(dataSource.getClass())) {
            // on this thread it would hand out its default target's connection, not the one the statement ran on
            never(task, "its DataSource routes by the calling thread (" + dataSource.getClass().getName() + ")");
            return Outcome.SKIPPED;
        }
        // what can be decided on the text alone is decided before a connection is taken from the application's pool
        Dialect known = dialects.get(task.dataSourceName());
        if (known != null && !known.supported()) {
            scheduler.never(task.fingerprint());
            return Outcome.UNSUPPORTED;
        }
        String refused = ExplainCommand.notExplainableOnAnySession(known, task.sql());
        if (refused != null) {
            if (ExplainCommand.notExplainableOnAnySession(known, task.fingerprint().normalized()) == null) {
                thisTextOnly(task, refused);
            } else {
                never(task, refused);
            }
            return Outcome.SKIPPED;
        }
        Connection connection = timed != null ? pool.borrowWithin(dataSource, timed) : pool.borrow(dataSource);
        if (connection == null) {
            // the pool was busy this time; a later execution may find it free
            scheduler.retry(task.fingerprint());
            return Outcome.SKIPPED;
        }
        boolean restored = false;
        // on the watchdog's thread, which nothing can interrupt, a database that stops answering must not hold it
        int networkTimeout = timed == null ? -1 : PoolProbe.boundNetwork(connection, networkBoundMillis);
        try {
            Dialect dialect = dialects.computeIfAbsent(task.dataSourceName(), n -> detect(connection));
            if (!dialect.supported()) {
                restored = true;
                scheduler.never(task.fingerprint());
                return Outcome.UNSUPPORTED;
            }
            ExplainSession session;
            try {
                session = ExplainSession.open(connection, dialect, timeouts);
            } catch (ExplainSession.NotRestoredException e) {
                throw e;
            } catch (SQLException e) {
                restored = true;
                return failed(task, dialect, e);
            }
            try (session) {
                return sample(task, session);
            } finally {
                restored = session.restored();
            }
        } finally {
            restored &= PoolProbe.restoreNetwork(connection, networkTimeout);
            if (restored) {
                PoolProbe.closeQuietly(connection);
            } else {
                problems.once("not-restored", "a connection whose session could not be put back as it was found"
                        + " was evicted from its pool");
                pool.evict(dataSource, connection);
            }
        }
    }

    private Outcome sample(SampledStatement task, ExplainSession session) {
        Dialect dialect = session.dialect();
        String reason = ExplainCommand.notExplainable(dialect, session.syntax(), task.sql());
        if (reason != null) {
            if (ExplainCommand.notExplainable(dialect, session.syntax(), task.fingerprint().normalized()) == null) {
                thisTextOnly(task, reason);
            } else {
                never(task, reason);
            }
            return Outcome.SKIPPED;
        }
        try {
            reason = session.indirectCalls(task.sql());
        } catch (SQLException e) {
            return failed(task, dialect, e);
        }
        if (reason != null) {
            never(task, reason);
            return Outcome.SKIPPED;
        }
        String raw;
        try {
            raw = session.explain(task.sql(), task.binds());
        } catch (SQLException e) {
            return failed(task, dialect, e);
        }
        ExplainPlan plan;
        try {
            plan = PlanParser.parse(dialect, raw, task.sql());
        } catch (PlanParseException e) {
            scheduler.never(task.fingerprint());
            problems.once("parse:" + dialect, "could not read a " + dialect + " plan: " + e.getMessage());
            return Outcome.ERROR;
        }
        List<SeqScanFinding> scans = judge.judge(plan,
                (schema, table) -> tableSizes.rows(task.dataSourceName(), schema, table, session::tableRows));
        for (SeqScanFinding scan : scans) {
            context.report(finding(task, scan));
        }
        return scans.isEmpty() ? Outcome.OK : Outcome.SEQSCAN;
    }

    /** A statement that timed out is tried again later; one that failed otherwise fails every time. */
    private Outcome failed(SampledStatement task, Dialect dialect, SQLException e) {
        if (TimeoutClassifier.isTimeout(dialect, e)) {
            return Outcome.TIMEOUT;
        }
        // temp tables, session settings, multi-statement text: what fails here fails every time
        scheduler.never(task.fingerprint());
        problems.once("explain-failed:" + e.getSQLState(), "EXPLAIN failed on " + dialect + " for \""
                + task.fingerprint().normalized() + "\" (" + SqlErrors.describe(e) + ")"
                + "; this statement will not be explained again");
        return Outcome.ERROR;
    }

    /** Never samples {@code task}'s statement again, saying why at DEBUG. */
    private void never(SampledStatement task, String reason) {
        scheduler.never(task.fingerprint());
        notExplained(task.fingerprint(), reason);
    }

    /**
     * A refusal the statement's normalized text escapes came from the literals or comments of this one execution
     * (a {@code ;} inside a string, a comment the dialects read differently): this text is not explained, but the
     * statement is due again after {@code querylens.explain.interval}, as its executions with bind parameters may
     * well be explainable.
     */
    private static void thisTextOnly(SampledStatement task, String reason) {
        notExplained(task.fingerprint(), reason + " (in this execution's text only: the statement is sampled again after querylens.explain.interval)");
    }

    private static void notExplained(Fingerprint fp, String reason) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("[querylens] not explained: \"{}\": {}", fp.normalized(), reason);
        }
    }

    private Finding finding(SampledStatement task, SeqScanFinding scan) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("tableRows", Long.toString(scan.tableRows()));
        details.put("estimatedRows", Long.toString(scan.estimatedRows()));
        if (scan.filter() != null) {
            // the plan's filter holds the sampled values; findings keep normalized text only
            String filter = context.normalize(scan.filter(), scan.dialect().planSyntax());
            // H2 prints every name quoted and upper-case; once values are gone the names read better as written
            details.put("filter", scan.dialect() == Dialect.H2 ? filter.replace("\"", "").toLowerCase(java.util.Locale.ROOT) : filter);
        }
        if (scan.suggestion() != null && scan.suggestion().present()) {
            details.put("suggestion", scan.suggestion().sql());
        } else if (scan.suggestion() != null && scan.suggestion().problem() != null) {
            details.put("noSuggestion", scan.suggestion().problem());
        }
        // H2 and Oracle-style upper-case names would otherwise split one table into two tag values
        return new Finding(FindingKind.SEQ_SCAN, task.endpoint(), scan.table().toLowerCase(java.util.Locale.ROOT), task.fingerprint().normalized(), 1,
                null, task.callSite(), FindingKind.SEQ_SCAN.hint(), details);
    }

    private static Dialect detect(Connection connection) {
        try {
            return Dialect.detect(connection.getMetaData());
        } catch (SQLException e) {
            return Dialect.UNSUPPORTED;
        }
    }

    private void count(Outcome outcome) {
        outcomes[outcome.ordinal()].increment();
    }

    @Override
    public void close() {
        closed = true;
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
        pool.close();
        if (t != null) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
