package dev.querylens.core.explain;

import javax.sql.DataSource;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Takes connections of the sampler's own from the application's pool, only when the pool can spare one: a busy
 * pool makes the sampler give up, never wait beside the application. Borrowing runs on a thread of its own, which
 * lives only while samples are taken, so that a slow pool is bounded by {@code querylens.explain.connection-timeout}.
 */
final class PoolProbe implements AutoCloseable {

    private final ExplainContext context;
    private final ProblemLog problems;
    private final long connectionTimeoutMillis;
    private final ExecutorService borrower;

    PoolProbe(ExplainContext context, ProblemLog problems, long connectionTimeoutMillis) {
        this.context = context;
        this.problems = problems;
        this.connectionTimeoutMillis = connectionTimeoutMillis;
        // the borrowing thread lives only while samples are taken: an idle application keeps one thread less
        this.borrower = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> ExplainSampler.daemon(r, "querylens-explain-borrow"));
    }

    /**
     * A connection of the sampler's own, or {@code null} when the pool has none idle or none comes within
     * {@code querylens.explain.connection-timeout}: the sampler gives up rather than queue beside the application.
     */
    Connection borrow(DataSource dataSource) {
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
            pending.thenAccept(PoolProbe::closeQuietly);
            return null;
        } catch (Exception e) {
            problems.once("borrow", "could not get a connection to run EXPLAIN on (" + dev.querylens.core.sql.SqlErrors.describe(e) + ")");
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

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the pool reports its own problems
        }
    }

    @Override
    public void close() {
        borrower.shutdownNow();
    }
}
