package dev.querylens.core.explain;

import dev.querylens.core.detect.Finding;
import dev.querylens.core.detect.FindingKind;
import dev.querylens.core.sql.Fingerprint;
import dev.querylens.core.sql.Operation;
import dev.querylens.core.sql.ParsedSql;
import dev.querylens.core.sql.SqlSyntax;
import io.micrometer.core.instrument.Counter;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.proxy.ParameterSetOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples EXPLAIN plans of the application's SELECTs and reports sequential scans of big tables. On the
 * application's thread it only decides whether to sample (one map read in the common case) and, for a sampled
 * statement, copies its bind values into a bounded queue. One background thread does the rest, on connections
 * of its own from the statement's {@code DataSource}, never the application's connection or transaction.
 *
 * <p>Bounds: {@value #MAX_TRACKED_STATEMENTS} statements remembered for the sampling interval (cleared when full;
 * the per-minute limit still holds), {@value #MAX_TABLE_SIZES} table sizes cached for
 * {@value #TABLE_SIZE_TTL_MINUTES} minutes, {@code querylens.explain.queue-size} queued statements.
 */
public final class ExplainSampler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExplainSampler.class);

    static final int MAX_TRACKED_STATEMENTS = 4096;
    static final int MAX_TABLE_SIZES = 1024;
    static final int TABLE_SIZE_TTL_MINUTES = 10;
    private static final long NEVER = Long.MIN_VALUE;
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Outcomes of the {@code querylens.explain} counter. */
    public enum Outcome { OK, SEQSCAN, SKIPPED, TIMEOUT, ERROR, UNSUPPORTED }

    /** A sampled statement; {@code endpoint} is null until its unit of work ends. */
    public record Task(String endpoint, Fingerprint fingerprint, String sql, List<Object> binds,
                String dataSourceName, String callSite) {
        Task named(String name) {
            return new Task(name, fingerprint, sql, binds, dataSourceName, callSite);
        }
    }

    /** Bound of a unit of work's sampled statements; past it a unit's further samples are dropped and counted. */
    static final int MAX_PENDING_PER_UNIT = 16;

    private record TableSize(long rows, long expiresAt) {
    }

    private final ExplainContext context;
    private final long intervalNanos;
    private final int maxPerMinute;
    private final long connectionTimeoutMillis;
    private final ExplainTimeouts timeouts;
    private final ScanJudge judge;
    /** When each statement may next be sampled ({@link System#nanoTime()}), or {@link #NEVER} once it proved unexplainable. */
    private final ConcurrentHashMap<Fingerprint, Long> nextSample = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, TableSize> tableSizes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Dialect> dialects = new ConcurrentHashMap<>();
    private final Set<String> loggedProblems = ConcurrentHashMap.newKeySet();
    private final ArrayBlockingQueue<Task> queue;
    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    private final AtomicInteger windowCount = new AtomicInteger();
    private final Counter[] outcomes = new Counter[Outcome.values().length];
    private final Thread worker;
    /** Borrows connections so that a slow pool makes the sampler give up, not wait. */
    private final ExecutorService borrower;
    private volatile boolean running = true;

    public ExplainSampler(ExplainContext context, ExplainSettings settings) {
        this.context = context;
        this.intervalNanos = settings.interval().toNanos();
        this.maxPerMinute = settings.maxPerMinute();
        this.connectionTimeoutMillis = Math.max(1, settings.connectionTimeout().toMillis());
        this.timeouts = settings.timeouts();
        this.judge = new ScanJudge(settings.seqScanMinRows());
        this.queue = new ArrayBlockingQueue<>(settings.queueSize());
        for (Outcome o : Outcome.values()) {
            outcomes[o.ordinal()] = context.outcomeCounter(o.name().toLowerCase(java.util.Locale.ROOT));
        }
        // the borrowing thread lives only while samples are taken: an idle application keeps one thread less
        this.borrower = new java.util.concurrent.ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), r -> daemon(r, "querylens-explain-borrow"));
        this.worker = daemon(this::run, "querylens-explain");
        worker.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * On the statement path: decides whether to sample (one map read in the common case). Returns the sampled
     * statement, or {@code null}. A statement sampled in a unit of work waits in the unit ({@link #hold}) until it
     * ends ({@link #submit}); outside any unit it is submitted at once.
     */
    public Task onStatement(ParsedSql sql, ExecutionInfo execution, QueryInfo query) {
        Fingerprint fp = sql.fingerprint();
        if (fp.operation() != Operation.SELECT || execution.isBatch() || !execution.isSuccess()) {
            return null;
        }
        long now = System.nanoTime();
        Long next = nextSample.get(fp);
        if (next != null && (next == NEVER || now - next < 0)) {
            return null;
        }
        if (!permit(now)) {
            return null;
        }
        if (nextSample.size() >= MAX_TRACKED_STATEMENTS) {
            nextSample.clear();
        }
        nextSample.put(fp, now + intervalNanos);
        return new Task(null, fp, query.getQuery(), copyBinds(query), execution.getDataSourceName(),
                context.callSite());
    }

    /**
     * Adds {@code task} to a unit of work's sampled statements ({@code null} when it has none yet), at most
     * {@value #MAX_PENDING_PER_UNIT}; returns the unit's list.
     */
    public List<Task> hold(List<Task> pending, Task task) {
        if (pending == null) {
            pending = new ArrayList<>(2);
            pending.add(task);
        } else if (pending.size() < MAX_PENDING_PER_UNIT) {
            pending.add(task);
        } else {
            count(Outcome.SKIPPED);
        }
        return pending;
    }

    /** Queues a statement sampled outside any unit of work, under {@code endpoint}. */
    public void submit(Task task, String endpoint) {
        offer(task.named(endpoint));
    }

    /** Queues a unit's sampled statements under the unit's final endpoint name. */
    public void submit(List<Task> tasks, String endpoint) {
        for (Task task : tasks) {
            offer(task.named(endpoint));
        }
    }

    private void offer(Task task) {
        if (!queue.offer(task)) {
            count(Outcome.SKIPPED);
        }
    }

    /** At most {@code max-per-minute} samples in each minute-long window. */
    private boolean permit(long now) {
        if (maxPerMinute <= 0) {
            return false;
        }
        long start = windowStart.get();
        if (now - start >= MINUTE_NANOS && windowStart.compareAndSet(start, now)) {
            windowCount.set(0);
        }
        return windowCount.incrementAndGet() <= maxPerMinute;
    }

    /** The first parameter set's values in parameter order; only sampled statements pay for this copy. */
    private static List<Object> copyBinds(QueryInfo query) {
        List<List<ParameterSetOperation>> sets = query.getParametersList();
        if (sets.isEmpty()) {
            return List.of();
        }
        TreeMap<Integer, Object> byIndex = new TreeMap<>();
        for (ParameterSetOperation op : sets.get(0)) {
            Object[] args = op.getArgs();
            if (args != null && args.length >= 2 && args[0] instanceof Integer index) {
                byIndex.put(index, ParameterSetOperation.isSetNullParameterOperation(op) ? null : args[1]);
            }
        }
        return new ArrayList<>(byIndex.values());
    }

    private void run() {
        while (running) {
            Task task;
            try {
                task = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (task != null) {
                explain(task);
            }
        }
    }

    private void explain(Task task) {
        try (AutoCloseable suppressed = context.suppress()) {
            count(sample(task));
        } catch (Throwable t) {
            context.error("explain", t);
            count(Outcome.ERROR);
        }
    }

    private Outcome sample(Task task) throws Exception {
        DataSource dataSource = task.dataSourceName() == null ? null : context.dataSource(task.dataSourceName());
        if (dataSource == null) {
            return Outcome.SKIPPED;
        }
        Connection connection = borrow(dataSource);
        if (connection == null) {
            // the pool was busy this time; a later execution may find it free
            nextSample.remove(task.fingerprint());
            return Outcome.SKIPPED;
        }
        try (connection) {
            Dialect dialect = dialects.computeIfAbsent(task.dataSourceName(), n -> detect(connection));
            if (!dialect.supported()) {
                nextSample.put(task.fingerprint(), NEVER);
                return Outcome.UNSUPPORTED;
            }
            SqlSyntax syntax = ExplainJdbc.sessionSyntax(connection, dialect);
            String reason = ExplainCommand.notExplainable(dialect, syntax, task.sql());
            if (reason != null) {
                nextSample.put(task.fingerprint(), NEVER);
                return Outcome.SKIPPED;
            }
            String raw;
            try {
                raw = ExplainJdbc.explain(connection, dialect, syntax, task.sql(), task.binds(), timeouts);
            } catch (SQLException e) {
                if (isTimeout(dialect, e)) {
                    return Outcome.TIMEOUT;
                }
                // temp tables, session settings, multi-statement text: what fails here fails every time
                nextSample.put(task.fingerprint(), NEVER);
                logOnce("explain-failed:" + e.getSQLState(), "EXPLAIN failed on " + dialect + " for \""
                        + task.fingerprint().normalized() + "\" (SQLState " + e.getSQLState() + "): " + e.getMessage()
                        + "; this statement will not be explained again");
                return Outcome.ERROR;
            }
            ExplainPlan plan;
            try {
                plan = PlanParser.parse(dialect, raw, task.sql());
            } catch (PlanParseException e) {
                nextSample.put(task.fingerprint(), NEVER);
                logOnce("parse:" + dialect, "could not read a " + dialect + " plan: " + e.getMessage());
                return Outcome.ERROR;
            }
            List<SeqScanFinding> scans = judge.judge(plan,
                    (schema, table) -> tableRows(task.dataSourceName(), connection, dialect, schema, table));
            for (SeqScanFinding scan : scans) {
                context.report(finding(task, scan));
            }
            return scans.isEmpty() ? Outcome.OK : Outcome.SEQSCAN;
        }
    }

    private Finding finding(Task task, SeqScanFinding scan) {
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

    private long tableRows(String dataSourceName, Connection connection, Dialect dialect, String schema, String table) {
        String key = dataSourceName + '|' + schema + '|' + table;
        long now = System.nanoTime();
        TableSize cached = tableSizes.get(key);
        if (cached != null && now - cached.expiresAt() < 0) {
            return cached.rows();
        }
        long rows;
        try {
            rows = ExplainJdbc.tableRows(connection, dialect, schema, table);
        } catch (SQLException e) {
            rows = -1;
        }
        if (tableSizes.size() >= MAX_TABLE_SIZES) {
            tableSizes.clear();
        }
        tableSizes.put(key, new TableSize(rows, now + TimeUnit.MINUTES.toNanos(TABLE_SIZE_TTL_MINUTES)));
        return rows;
    }

    /**
     * A connection of the sampler's own, or {@code null} when the pool has none idle or none comes within
     * {@code querylens.explain.connection-timeout}: the sampler gives up rather than queue beside the application.
     */
    private Connection borrow(DataSource dataSource) {
        if (!canLendNow(dataSource)) {
            return null;
        }
        CompletableFuture<Connection> pending = CompletableFuture.supplyAsync(() -> {
            try (AutoCloseable suppressed = context.suppress()) {
                return dataSource.getConnection();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, borrower);
        try {
            return pending.get(connectionTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // it may still arrive: hand it straight back to the pool
            pending.thenAccept(ExplainSampler::closeQuietly);
            return null;
        } catch (Exception e) {
            logOnce("borrow", "could not get a connection to run EXPLAIN on: " + e.getMessage());
            return null;
        }
    }

    /**
     * Whether a known pool (HikariCP, Tomcat JDBC, DBCP2) can lend a connection now without anyone waiting: nobody
     * queued, and an idle connection or room to open one. Read through their public API by reflection, so core
     * needs none of them; true for anything else (the borrow timeout still bounds the wait).
     */
    static boolean canLendNow(DataSource dataSource) {
        try {
            Object hikari = call(dataSource, "getHikariPoolMXBean");
            if (hikari != null) {
                int waiting = (int) call(hikari, "getThreadsAwaitingConnection");
                int idle = (int) call(hikari, "getIdleConnections");
                int total = (int) call(hikari, "getTotalConnections");
                int max = (int) call(call(dataSource, "getHikariConfigMXBean"), "getMaximumPoolSize");
                return waiting == 0 && (idle > 0 || total < max);
            }
            if (method(dataSource.getClass(), "getNumIdle") != null) { // DBCP2
                return ((Number) call(dataSource, "getNumIdle")).intValue() > 0
                        || ((Number) call(dataSource, "getNumActive")).intValue() < ((Number) call(dataSource, "getMaxTotal")).intValue();
            }
            if (method(dataSource.getClass(), "getIdle") != null) { // Tomcat JDBC
                return ((Number) call(dataSource, "getIdle")).intValue() > 0
                        || ((Number) call(dataSource, "getActive")).intValue() < ((Number) call(dataSource, "getMaxActive")).intValue();
            }
            return true;
        } catch (Exception | LinkageError e) {
            return true;
        }
    }

    private static Object call(Object target, String name) throws ReflectiveOperationException {
        Method m = method(target.getClass(), name);
        if (m == null) {
            throw new NoSuchMethodException(name);
        }
        return m.invoke(target);
    }

    private static Method method(Class<?> type, String name) {
        try {
            Method m = type.getMethod(name);
            m.setAccessible(true);
            return m;
        } catch (Exception e) {
            return null;
        }
    }

    /** Lock and statement timeouts by SQLState and vendor code: PostgreSQL, MariaDB/MySQL, H2. */
    static boolean isTimeout(Dialect dialect, SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTimeoutException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                int code = s.getErrorCode();
                if ("55P03".equals(state) || "57014".equals(state) // PostgreSQL lock_not_available, query_canceled
                        || code == 1205 || code == 3024 || code == 1969 || "70100".equals(state) // MySQL, MariaDB
                        || code == 50200 || "HYT00".equals(state) || code == 57014) { // H2 lock timeout, cancel
                    return true;
                }
            }
        }
        return false;
    }

    private void logOnce(String key, String message) {
        if (loggedProblems.size() < 64 && loggedProblems.add(key)) {
            log.warn("[querylens] {}", message);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the pool reports its own problems
        }
    }

    private void count(Outcome outcome) {
        outcomes[outcome.ordinal()].increment();
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
        borrower.shutdownNow();
        try {
            worker.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
