package dev.querylens.core.explain;

import com.example.shop.OrderQueries;
import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.detect.Finding;
import dev.querylens.core.sql.SqlSyntax;
import dev.querylens.core.testing.DelegatingDataSource;
import dev.querylens.core.testing.NewThreads;
import dev.querylens.core.testing.OrdersTable;
import dev.querylens.core.testing.Sampling;
import dev.querylens.core.testing.TestDatabases;
import dev.querylens.core.testing.TimerWatchdog;
import dev.querylens.core.watchdog.DeadlineAlarm;
import dev.querylens.core.watchdog.DeadlineWatchdog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With a {@link DeadlineWatchdog} (the agent's metrics endpoint), the sampler borrows on its worker thread and the
 * watchdog's interrupt bounds the wait: no borrowing thread is ever started, a busy pool is given up at
 * {@code querylens.explain.connection-timeout} (HikariCP waits interruptibly; its own timeout here is 30 s), and the
 * interrupt never outlives the borrow. A pool deaf to interrupts holds the worker, and samples wait in the bounded
 * queue meanwhile, the rest skipped.
 */
class WatchdogBorrowTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String BIG_SCAN = "SELECT id FROM orders WHERE status = ?";

    private final TimerWatchdog watchdog = new TimerWatchdog();
    private NewThreads threads;
    private HikariDataSource hikari;
    private Sampling sampling;
    private PoolProbe probe;

    @BeforeEach
    void setUp() {
        threads = new NewThreads();
    }

    @AfterEach
    void tearDown() {
        Thread.interrupted();
        if (probe != null) {
            probe.close();
        }
        if (sampling != null) {
            sampling.close();
        }
        if (hikari != null) {
            hikari.close();
        }
        watchdog.close();
    }

    @Test
    void aBusyPoolIsGivenUpAtTheDeadlineOnTheWorkerAndTheNextSampleWorks() throws Exception {
        hikari = onePool();
        sampling = new Sampling(Map.of("querylens.explain.connection-timeout", "200ms",
                "querylens.explain.interval", "0", "querylens.explain.max-per-minute", "10000"), watchdog);
        // a wrapper Querylens cannot read: it borrows without asking the pool first
        DataSource app = sampling.lens.wrap(new DelegatingDataSource(hikari), "main");
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Connection held = app.getConnection()) {
            try (Statement s = held.createStatement()) {
                OrdersTable.create(s, "orders", 20_000);
                OrdersTable.analyze(s, "orders");
            }
            OrderQueries.countRows(held, BIG_SCAN, "NEW");
            sampling.await("the sample to be given up", () -> {
                seen.addAll(threads.querylensNames());
                return sampling.outcome("skipped") >= 1;
            });
            assertEquals(1, watchdog.fired.get(), "the watchdog ended the borrow");
            assertEquals(0, hikari.getHikariPoolMXBean().getThreadsAwaitingConnection(), "a sampler thread left in the pool");
        }
        try (Connection c = app.getConnection()) {
            OrderQueries.countRows(c, BIG_SCAN + " AND id > ?", "NEW", 0);
        }
        sampling.await("the next sample explained", () -> {
            seen.addAll(threads.querylensNames());
            return sampling.outcome("ok") + sampling.outcome("seqscan") >= 1;
        });
        assertEquals(2, watchdog.watched.get());
        assertEquals(1, watchdog.fired.get());
        assertFalse(seen.contains("querylens-explain-borrow"), "a borrowing thread was started: " + seen);
        assertTrue(seen.contains(ExplainSampler.WORKER_NAME), seen.toString());
        assertEquals(0, hikari.getHikariPoolMXBean().getActiveConnections(), "a connection not given back");
    }

    /** On the calling thread itself: given up at the deadline, and the interrupt that ended the wait is gone. */
    @Test
    void theBorrowersInterruptIsClearedAfterTheDeadline() throws Exception {
        hikari = onePool();
        DataSource unknown = new DelegatingDataSource(hikari);
        probe = new PoolProbe(new QuietContext(), new ProblemLog(), 200, null, watchdog);
        try (Connection held = hikari.getConnection()) {
            long start = System.nanoTime();
            assertNull(probe.borrow(unknown));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertFalse(Thread.currentThread().isInterrupted(), "the alarm's interrupt outlived the borrow");
            assertEquals(1, watchdog.fired.get());
            // HikariCP's own timeout is 30 s: only the alarm can have ended the wait this soon
            assertTrue(waited >= 200 && waited < 10_000, waited + " ms");
            assertEquals(0, hikari.getHikariPoolMXBean().getThreadsAwaitingConnection());
        }
        Connection c = probe.borrow(unknown);
        assertNotNull(c, "a free pool lends after a borrow was given up");
        c.close();
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(List.of(), threads.querylensNames());
    }

    /** A thread interrupted before it borrows (the sampler closing) borrows nothing and stays interrupted. */
    @Test
    void anInterruptFromBeforeTheBorrowIsKept() throws Exception {
        hikari = onePool();
        probe = new PoolProbe(new QuietContext(), new ProblemLog(), 200, null, watchdog);
        Thread.currentThread().interrupt();
        assertNull(probe.borrow(new DelegatingDataSource(hikari)));
        assertTrue(Thread.interrupted(), "the thread's own interrupt was cleared");
        assertEquals(0, hikari.getHikariPoolMXBean().getActiveConnections());
    }

    /**
     * Alarms due at once, fired by a watchdog spinning on another thread, race each borrow and its cancel: whichever
     * wins, the borrowing thread is never left interrupted, and no connection is kept from the pool.
     */
    @Test
    void alarmsRacingTheBorrowNeverLeaveTheInterruptSet() throws Exception {
        hikari = TestDatabases.pool(h2Url(), 2);
        DataSource unknown = new DelegatingDataSource(hikari);
        AtomicReference<DeadlineAlarm> armed = new AtomicReference<>();
        AtomicInteger fired = new AtomicInteger();
        Thread spinner = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                DeadlineAlarm a = armed.getAndSet(null);
                if (a != null && a.fire()) {
                    fired.incrementAndGet();
                }
            }
        }, "test-spinning-watchdog");
        spinner.setDaemon(true);
        spinner.start();
        probe = new PoolProbe(new QuietContext(), new ProblemLog(), 0, null, alarm -> {
            armed.set(alarm);
            return true;
        });
        int lent = 0;
        int rounds = 0;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((rounds < 2_000 || fired.get() < 20) && System.nanoTime() < deadline) {
                rounds++;
                Connection c = probe.borrow(unknown);
                if (c != null) {
                    lent++;
                    c.close();
                }
                assertFalse(Thread.currentThread().isInterrupted(), "interrupt left set after round " + rounds);
            }
        } finally {
            spinner.interrupt();
            spinner.join();
        }
        assertFalse(Thread.currentThread().isInterrupted());
        assertTrue(fired.get() >= 20, "alarms fired: " + fired.get() + " in " + rounds + " rounds");
        assertEquals(0, hikari.getHikariPoolMXBean().getActiveConnections(), "a connection kept from the pool");
        assertTrue(lent <= rounds - fired.get() + 1, lent + " lent, " + fired.get() + " fired, " + rounds + " rounds");
    }

    /**
     * A pool deaf to interrupts holds the worker until it answers: one borrow reaches it, samples queue up to
     * {@code querylens.explain.queue-size} meanwhile and the rest are skipped; once it answers, the late connection
     * goes straight back and the queued samples are explained.
     */
    @Test
    void aPoolDeafToInterruptsHoldsTheWorkerAndLaterSamplesAreSkippedNotQueuedWithoutBound() throws Exception {
        String url = h2Url();
        UnrecognisedPoolTest.Stuck stuck = new UnrecognisedPoolTest.Stuck(url);
        sampling = new Sampling(Map.of("querylens.explain.connection-timeout", "100ms",
                "querylens.explain.queue-size", "2"), watchdog);
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Connection raw = stuck.open()) {
            try (Statement s = raw.createStatement()) {
                OrdersTable.create(s, "orders", 20_000);
                OrdersTable.analyze(s, "orders");
            }
            Connection app = sampling.lens.wrapConnection(raw, "stuck", stuck);
            String[] more = {"id > ?", "id < ?", "total > ?", "customer_id > ?", "customer_id < ?", "total < ?"};
            for (String m : more) {
                // outside a unit of work each sampled statement is queued at once
                OrderQueries.countRows(app, BIG_SCAN + " AND " + m, "NEW", 0);
            }
            sampling.await("the samples beyond the queue skipped", () -> {
                seen.addAll(threads.querylensNames());
                return sampling.outcome("skipped") >= more.length - 1 - 2;
            });
            sampling.await("the alarm fired", () -> watchdog.fired.get() == 1);
            assertEquals(1, stuck.calls.get(), "borrows that reached the stuck pool");
            assertEquals(more.length - 1 - 2, sampling.outcome("skipped"), () -> sampling.outcomes().toString());
            stuck.release();
            sampling.await("every sample ended", () -> {
                seen.addAll(threads.querylensNames());
                return sampling.total() >= more.length;
            });
            sampling.await("every connection closed", () -> stuck.closed.get() == stuck.opened.get());
            assertEquals(3, stuck.calls.get(), "the stuck borrow and the two queued samples'");
            assertEquals(more.length - 2, sampling.outcome("skipped"), () -> sampling.outcomes().toString());
        }
        assertFalse(seen.contains("querylens-explain-borrow"), "a borrowing thread was started: " + seen);
    }

    private static HikariDataSource onePool() {
        HikariDataSource pool = TestDatabases.pool(h2Url(), 1);
        pool.setConnectionTimeout(30_000);
        return pool;
    }

    private static String h2Url() {
        return "jdbc:h2:mem:qls_watchdog" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }


    /** The little a {@link PoolProbe} asks of its context; a failure inside it fails the test. */
    private static final class QuietContext implements ExplainContext {
        @Override
        public String callSite() {
            return null;
        }

        @Override
        public AutoCloseable suppress() {
            return () -> { };
        }

        @Override
        public DataSource dataSource(String name) {
            return null;
        }

        @Override
        public String normalize(String sql, SqlSyntax syntax) {
            return sql;
        }

        @Override
        public void report(Finding finding) {
        }

        @Override
        public void error(String place, Throwable error) {
            throw new AssertionError(place, error);
        }

        @Override
        public Counter outcomeCounter(String outcome) {
            return new SimpleMeterRegistry().counter("test");
        }
    }
}
