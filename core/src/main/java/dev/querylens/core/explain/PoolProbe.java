package dev.querylens.core.explain;

import dev.querylens.core.sql.SqlErrors;
import dev.querylens.core.watchdog.DeadlineAlarm;
import dev.querylens.core.watchdog.DeadlineWatchdog;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Takes connections of the sampler's own from the application's pool, only when the pool can spare one, and
 * gives back or evicts them. A busy pool makes the sampler give up, never wait beside the application:
 * <ul>
 *   <li>a pool whose state it can read (HikariCP, DBCP2, Tomcat JDBC, c3p0) is asked first whether it can lend a
 *       connection now;</li>
 *   <li>any borrow is given up after {@code querylens.explain.connection-timeout}: the borrowing thread is
 *       interrupted (pools wait interruptibly), and a connection that still arrives is closed at once.</li>
 * </ul>
 * A pool that bounds its own borrow (HikariCP: {@link #timedBorrow}) is borrowed from with that bound on the calling
 * thread, the watchdog's own ({@link #borrowWithin}), where the sampler then bounds every network read of the sample
 * too ({@link #boundNetwork}). Otherwise, with a {@link DeadlineWatchdog} (the agent's metrics endpoint), the borrow
 * runs on the calling thread, the EXPLAIN worker, and the watchdog interrupts it at the deadline: no thread of its
 * own. A pool that ignores interrupts then holds the worker until the pool's own timeout, and samples wait in the
 * sampler's bounded queue meanwhile (skipped once it is full). Without a watchdog (the starter, or an agent whose endpoint is off or not running), each borrow
 * runs on a borrowing thread of its own; at most {@value #MAX_BORROWS} are under way at a time and none queues:
 * while a pool that ignores interrupts holds them, further samples are skipped.
 */
final class PoolProbe implements AutoCloseable {
    /** Borrows under way at once; the threads live only while samples are taken. */
    static final int MAX_BORROWS = 2;
    /** How long a borrowing thread outlives its borrow: long enough for the next sample of a burst, no longer. */
    static final long BORROWER_IDLE_MILLIS = 1_000;
    private static final String HIKARI_DATA_SOURCE = "com.zaxxer.hikari.HikariDataSource";

    private final ExplainContext context;
    private final ProblemLog problems;
    private final long connectionTimeoutMillis;
    private final ThreadPoolExecutor borrowers;
    /** Null: each borrow on a borrowing thread. */
    private final DeadlineWatchdog watchdog;

    PoolProbe(ExplainContext context, ProblemLog problems, long connectionTimeoutMillis, ClassLoader contextLoader,
              DeadlineWatchdog watchdog) {
        this.context = context;
        this.problems = problems;
        this.connectionTimeoutMillis = connectionTimeoutMillis;
        this.watchdog = watchdog;
        this.borrowers = new ThreadPoolExecutor(0, MAX_BORROWS, BORROWER_IDLE_MILLIS, TimeUnit.MILLISECONDS,
                new SynchronousQueue<>(), r -> ExplainSampler.daemon(r, "querylens-explain-borrow", contextLoader));
    }

    /**
     * A connection of the sampler's own, or {@code null} when the pool has none to spare, none comes within
     * {@code querylens.explain.connection-timeout}, or earlier borrows are still stuck.
     */
    Connection borrow(DataSource dataSource) {
        if (!canLendNow(dataSource)) {
            return null;
        }
        if (watchdog != null) {
            if (Thread.currentThread().isInterrupted()) {
                return null; // the sampler is closing: its interrupt stays for the worker's loop to see
            }
            DeadlineAlarm alarm = DeadlineAlarm.forCurrentThread(
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(connectionTimeoutMillis));
            if (watched(alarm)) {
                return borrowHere(dataSource, alarm);
            }
        }
        Borrow borrow = new Borrow(dataSource);
        Future<?> running;
        try {
            running = borrowers.submit(borrow);
        } catch (RejectedExecutionException e) {
            return null; // every borrowing thread is stuck in a pool: no queue behind them
        }
        Connection connection = borrow.await(connectionTimeoutMillis);
        if (connection == null) {
            running.cancel(true);
            if (borrow.failure != null) {
                borrowFailed(borrow.failure);
            }
        }
        return connection;
    }

    /**
     * HikariCP's {@code HikariPool.getConnection(long)}, found by reflection (core needs no HikariCP), on a pool that
     * gives up a borrow at that bound by itself: what lets a sample be taken on a thread no alarm can interrupt.
     */
    record TimedBorrow(Object pool, Method getConnection) {
    }

    /**
     * The timed borrow of {@code dataSource}, or {@code null} when it has none: anything but a running HikariCP pool
     * (whose {@code getHikariPoolMXBean()} is the pool itself); a HikariCP pool that may be suspended
     * ({@code allowPoolSuspension}: a suspended pool holds a borrow at a lock no timeout ends); and a subclass of
     * {@code HikariDataSource} with a {@code getConnection()} of its own, which may do what a borrow from the pool
     * itself would skip (set a tenant's schema, route, wrap). Never throws.
     */
    static TimedBorrow timedBorrow(DataSource dataSource) {
        try {
            Method own = method(dataSource.getClass(), "getConnection");
            if (own == null || !HIKARI_DATA_SOURCE.equals(own.getDeclaringClass().getName())
                    || !Boolean.FALSE.equals(call(dataSource, "isAllowPoolSuspension"))) {
                return null;
            }
            Object pool = call(dataSource, "getHikariPoolMXBean");
            Method getConnection = pool == null ? null : method(pool.getClass(), "getConnection", long.class);
            return getConnection == null || !Connection.class.isAssignableFrom(getConnection.getReturnType())
                    ? null : new TimedBorrow(pool, getConnection);
        } catch (Throwable t) {
            return null;
        }
    }

    /**
     * A connection of the sampler's own from a pool that bounds its own borrow, or {@code null} when the pool has
     * none to spare or none comes within {@code querylens.explain.connection-timeout}. Waits no longer than that,
     * with no alarm and no other thread: for the watchdog's own thread.
     */
    Connection borrowWithin(DataSource dataSource, TimedBorrow timed) {
        if (!canLendNow(dataSource)) {
            return null;
        }
        try (AutoCloseable suppressed = context.suppress()) {
            return (Connection) timed.getConnection().invoke(timed.pool(), connectionTimeoutMillis);
        } catch (InvocationTargetException e) {
            // HikariCP's timeout is SQLTransientConnectionException: the pool was busy, which is no problem
            if (!(e.getCause() instanceof SQLTransientConnectionException)) {
                borrowFailed(e.getCause());
            }
        } catch (Throwable t) {
            borrowFailed(t);
        }
        return null;
    }

    /**
     * Bounds each network read on {@code connection} to {@code millis}, so that a database that stops answering
     * cannot hold the calling thread (the statements' own timeouts end on the server, which then must answer).
     * Returns the network timeout to put back, or -1 when the driver has none (nothing to put back).
     */
    static int boundNetwork(Connection connection, int millis) {
        int before;
        try {
            before = connection.getNetworkTimeout();
        } catch (Throwable t) {
            return -1;
        }
        try {
            if (before == 0 || before > millis) {
                connection.setNetworkTimeout(Runnable::run, millis);
            }
        } catch (Throwable t) {
            return -1; // refused: the reads stay bounded by the statements' own timeouts only
        }
        return before;
    }

    /** Puts back the network timeout {@link #boundNetwork} found; false when it could not (evict the connection). */
    static boolean restoreNetwork(Connection connection, int before) {
        if (before < 0) {
            return true;
        }
        try {
            if (connection.getNetworkTimeout() != before) {
                connection.setNetworkTimeout(Runnable::run, before);
            }
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    private void borrowFailed(Throwable failure) {
        problems.once("borrow", "could not get a connection to run EXPLAIN on (" + SqlErrors.describe(failure) + ")");
    }

    private boolean watched(DeadlineAlarm alarm) {
        try {
            return watchdog.watch(alarm);
        } catch (Throwable t) {
            context.error("explain-watchdog", t);
            return false;
        }
    }

    /**
     * The borrow on this thread, {@code alarm} armed. A connection that arrives although the alarm fired is closed
     * at once, as on a borrowing thread: the deadline had passed, so the pool had none to spare, and whoever waits
     * for one in the application should have it. A failure the alarm caused (the pool's interrupted wait) is no
     * problem to log; nor is one while the sampler closes (its own interrupt).
     */
    private Connection borrowHere(DataSource dataSource, DeadlineAlarm alarm) {
        Connection c = null;
        Throwable failure = null;
        boolean fired;
        try (AutoCloseable suppressed = context.suppress()) {
            c = dataSource.getConnection();
        } catch (Throwable t) {
            failure = t;
        } finally {
            // before anything else runs on this thread: the alarm's interrupt must not reach it
            fired = alarm.cancel();
        }
        if (fired) {
            if (c != null) {
                closeQuietly(c);
            }
            return null;
        }
        if (c == null && failure != null && !Thread.currentThread().isInterrupted()) {
            borrowFailed(failure);
        }
        return c;
    }

    /** One borrow: the connection, or why there is none; once given up, what arrives is closed at once. */
    private final class Borrow implements Runnable {
        private final DataSource dataSource;
        private Connection connection;
        private Throwable failure;
        private boolean done;
        private boolean abandoned;

        Borrow(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        public void run() {
            Connection c = null;
            Throwable t = null;
            try (AutoCloseable suppressed = context.suppress()) {
                c = dataSource.getConnection();
            } catch (Throwable e) {
                t = e;
            }
            synchronized (this) {
                if (!abandoned) {
                    connection = c;
                    failure = t;
                    done = true;
                    notifyAll();
                    return;
                }
            }
            if (c != null) {
                closeQuietly(c);
            }
        }

        synchronized Connection await(long millis) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            boolean interrupted = false;
            while (!done) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (!done) {
                abandoned = true;
                return null;
            }
            return connection;
        }
    }

    /**
     * Whether a known pool (HikariCP, DBCP2, Tomcat JDBC, c3p0) can lend a connection now without anyone waiting:
     * nobody queued, and an idle connection or room to open one. Read through their public API by reflection, so
     * core needs none of them; true for anything else (the bounded borrow still holds).
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
            if (method(dataSource.getClass(), "getNumThreadsAwaitingCheckoutDefaultUser") != null) { // c3p0
                return ((Number) call(dataSource, "getNumThreadsAwaitingCheckoutDefaultUser")).intValue() == 0
                        && (((Number) call(dataSource, "getNumIdleConnectionsDefaultUser")).intValue() > 0
                        || ((Number) call(dataSource, "getNumConnectionsDefaultUser")).intValue()
                        < ((Number) call(dataSource, "getMaxPoolSize")).intValue());
            }
            return true;
        } catch (Exception | LinkageError e) {
            return true;
        }
    }

    /**
     * Takes {@code connection} out of its pool for good, for a connection whose session could not be put back as
     * it was: HikariCP's {@code evictConnection}, DBCP2's {@code invalidateConnection}, else {@code abort} (the
     * pool then finds it closed). Never throws.
     */
    void evict(DataSource dataSource, Connection connection) {
        try {
            Method hikari = method(dataSource.getClass(), "evictConnection", Connection.class);
            Method dbcp = hikari != null ? null : method(dataSource.getClass(), "invalidateConnection", Connection.class);
            if (hikari != null) {
                hikari.invoke(dataSource, connection);
            } else if (dbcp != null) {
                dbcp.invoke(dataSource, connection);
                return; // DBCP2 has closed and forgotten it
            } else {
                connection.abort(Runnable::run);
            }
        } catch (Throwable t) {
            problems.once("evict", "could not evict a connection whose session could not be restored ("
                    + SqlErrors.describe(t) + ")");
        }
        closeQuietly(connection);
    }

    private static Object call(Object target, String name) throws ReflectiveOperationException {
        Method m = method(target.getClass(), name);
        if (m == null) {
            throw new NoSuchMethodException(name);
        }
        return m.invoke(target);
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) {
        try {
            Method m = type.getMethod(name, parameters);
            try {
                m.setAccessible(true); // a public method of a class that is not public itself
            } catch (RuntimeException ignored) {
                // a module that does not open the class: the public method may still be called
            }
            return m;
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // the pool reports its own problems
        }
    }

    @Override
    public void close() {
        borrowers.shutdownNow();
    }
}
