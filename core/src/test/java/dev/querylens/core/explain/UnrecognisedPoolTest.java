package dev.querylens.core.explain;

import com.example.shop.OrderQueries;
import com.mchange.v2.c3p0.ComboPooledDataSource;
import dev.querylens.core.testing.DelegatingDataSource;
import dev.querylens.core.testing.OrdersTable;
import dev.querylens.core.testing.Sampling;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pools whose state Querylens reads no statistics of, or reads wrongly: no borrow by the sampler waits longer than
 * {@code querylens.explain.connection-timeout}, none stays queued in the pool beside the application's threads,
 * borrows never pile up behind a stuck one, and a connection that comes after its borrow was given up goes
 * straight back.
 */
class UnrecognisedPoolTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String BIG_SCAN = "SELECT id FROM orders WHERE status = ?";

    private Sampling sampling;
    private ComboPooledDataSource c3p0;

    @AfterEach
    void close() {
        if (sampling != null) {
            sampling.close();
        }
        if (c3p0 != null) {
            c3p0.close();
        }
    }

    /** c3p0's checkout waits forever by default ({@code checkoutTimeout=0}). */
    @Test
    void aBusyC3p0PoolIsNeverWaitedOn() throws Exception {
        c3p0 = c3p0Pool();
        assertNoBorrowerLeftWaiting(c3p0);
    }

    /** The same pool behind a wrapper Querylens knows nothing of: the borrow is given up after the timeout. */
    @Test
    void aBusyPoolBehindAnUnknownWrapperIsWaitedOnNoLongerThanTheTimeout() throws Exception {
        c3p0 = c3p0Pool();
        assertNoBorrowerLeftWaiting(new DelegatingDataSource(c3p0));
    }

    @Test
    void borrowsNeverPileUpBehindAStuckOneAndALateConnectionIsClosedAtOnce() throws Exception {
        String url = h2Url();
        Stuck stuck = new Stuck(url);
        sampling = new Sampling(Map.of("querylens.explain.connection-timeout", "100ms"));
        try (Connection raw = stuck.open()) {
            try (Statement s = raw.createStatement()) {
                OrdersTable.create(s, "orders", 20_000);
                OrdersTable.analyze(s, "orders");
            }
            Connection app = sampling.lens.wrapConnection(raw, "stuck", stuck);
            for (String more : new String[] {"id > ?", "id < ?", "total > ?", "customer_id > ?", "customer_id < ?"}) {
                // outside a unit of work each sampled statement is queued at once
                OrderQueries.countRows(app, BIG_SCAN + " AND " + more, "NEW", 0);
            }
            sampling.await("5 skipped samples", () -> sampling.outcome("skipped") >= 5);
            assertTrue(stuck.calls.get() <= 2, () -> stuck.calls.get() + " borrows reached the pool");
            stuck.release();
            sampling.await("every late connection to be closed", () -> stuck.closed.get() == stuck.opened.get()
                    && stuck.opened.get() == stuck.calls.get());
            assertTrue(stuck.calls.get() <= 2, () -> stuck.calls.get() + " borrows reached the pool");
        }
    }

    private void assertNoBorrowerLeftWaiting(DataSource target) throws Exception {
        sampling = new Sampling(Map.of("querylens.explain.connection-timeout", "200ms"));
        DataSource app = sampling.lens.wrap(target, "main");
        try (Connection held = app.getConnection()) {
            try (Statement s = held.createStatement()) {
                OrdersTable.create(s, "orders", 20_000);
                OrdersTable.analyze(s, "orders");
            }
            OrderQueries.countRows(held, BIG_SCAN, "NEW");
            sampling.await("the sample to be skipped", () -> sampling.outcome("skipped") >= 1);
            sampling.await("no sampler thread queued in the pool", () -> waiting() == 0);
            assertEquals(1, OrderQueries.countRows(held, "SELECT id FROM orders WHERE id = ?", 3));
        }
        sampling.await("the pool's only connection back", () -> busy() == 0);
        try (Connection c = app.getConnection()) {
            assertEquals(1, OrderQueries.countRows(c, "SELECT id FROM orders WHERE id = ?", 4));
        }
        assertEquals(0.0, sampling.outcome("seqscan"), () -> sampling.outcomes().toString());
    }

    private int waiting() {
        try {
            return c3p0.getNumThreadsAwaitingCheckoutDefaultUser();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private int busy() {
        try {
            return c3p0.getNumBusyConnectionsDefaultUser();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static ComboPooledDataSource c3p0Pool() {
        ComboPooledDataSource pool = new ComboPooledDataSource();
        pool.setJdbcUrl(h2Url());
        pool.setInitialPoolSize(1);
        pool.setMinPoolSize(1);
        pool.setMaxPoolSize(1);
        return pool;
    }

    private static String h2Url() {
        return "jdbc:h2:mem:qls_pool" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }

    /**
     * A data source whose {@code getConnection} blocks, deaf to interrupts, until released, as a pool does that
     * waits on a network connect; then it hands out real H2 connections and counts what becomes of them.
     */
    static final class Stuck extends DelegatingDataSource {
        private volatile boolean released;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();

        Stuck(String url) {
            super(h2(url));
        }

        /** A plain H2 DataSource, no pool. */
        static JdbcDataSource h2(String url) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);
            return h2;
        }

        void release() {
            released = true;
        }

        /** A connection straight from H2, as the application has. */
        Connection open() throws SQLException {
            return target.getConnection();
        }

        @Override
        public Connection getConnection() throws SQLException {
            calls.incrementAndGet();
            while (!released) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ignored) {
                    // deaf to interrupts, like a connect in progress
                }
            }
            Connection real = target.getConnection();
            opened.incrementAndGet();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("close") && !real.isClosed()) {
                            closed.incrementAndGet();
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
