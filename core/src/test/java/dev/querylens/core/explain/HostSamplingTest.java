package dev.querylens.core.explain;

import com.example.shop.OrderQueries;
import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.testing.DelegatingDataSource;
import dev.querylens.core.testing.NewThreads;
import dev.querylens.core.testing.OrdersTable;
import dev.querylens.core.testing.Sampling;
import dev.querylens.core.testing.TestDatabases;
import dev.querylens.core.testing.TimerWatchdog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Given a {@link dev.querylens.core.watchdog.DeadlineWatchdog} that runs tasks (the agent's metrics endpoint), a
 * sample whose pool bounds its own borrow (HikariCP) is taken on the watchdog's thread, so the sampler starts no
 * thread at all; a sample on any other pool, or once the watchdog has stopped, goes on to the worker. The network
 * bound such a sample puts on its connection is put back as found, on the real drivers.
 */
class HostSamplingTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String BIG_SCAN = "SELECT id FROM orders WHERE status = ?";
    private static final Map<String, String> EVERY_TIME = Map.of("querylens.explain.interval", "0",
            "querylens.explain.max-per-minute", "10000", "querylens.explain.connection-timeout", "200ms");

    private final TimerWatchdog watchdog = new TimerWatchdog();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private NewThreads threads;
    private HikariDataSource hikari;
    private Sampling sampling;

    @BeforeEach
    void setUp() {
        threads = new NewThreads();
    }

    @AfterEach
    void tearDown() {
        if (sampling != null) {
            sampling.close();
        }
        if (hikari != null) {
            hikari.close();
        }
        watchdog.close();
    }

    @Test
    void aHikariSampleIsTakenOnTheWatchdogsThreadAndStartsNoThread() throws Exception {
        RecordingHikari pool = new RecordingHikari(h2Url());
        hikari = pool;
        OrdersTable.createAnalyzed(hikari, "orders", 20_000);
        sampling = new Sampling(EVERY_TIME, watchdog);
        DataSource app = sampling.lens.wrap(hikari, "main");
        pool.askedOn.clear();
        twoScansExplained(app);
        assertEquals(List.of(), seen, "threads the sampler started");
        assertTrue(watchdog.tasksRun.get() >= 1, "the watchdog ran no task");
        assertEquals(Set.of("test-watchdog"), Set.copyOf(pool.askedOn), "threads that asked the pool for its state");
        assertEquals(0, watchdog.watched.get(), "a borrow on the watchdog's thread armed an alarm");
        assertEquals(0, hikari.getHikariPoolMXBean().getActiveConnections(), "a connection not given back");
        assertEquals(2, sampling.lens.findings().findings().size(), sampling.lens.findings().findings().toString());
    }

    @Test
    void onPostgresTheSampleIsTakenOnTheWatchdogsThread() throws Exception {
        String table = "qls_host_" + Long.toHexString(System.nanoTime());
        hikari = TestDatabases.postgres(2);
        OrdersTable.createAnalyzed(hikari, table, 20_000);
        try {
            sampling = new Sampling(EVERY_TIME, watchdog);
            DataSource app = sampling.lens.wrap(hikari, "pg");
            try (Connection c = app.getConnection()) {
                OrderQueries.countRows(c, "SELECT id FROM " + table + " WHERE status = ?", "NEW");
            }
            sampling.await("the sample explained", () -> {
                seen.addAll(threads.querylensNames());
                return sampling.outcome("seqscan") >= 1;
            });
            seen.addAll(threads.querylensNames());
            assertEquals(List.of(), seen, "threads the sampler started");
            assertEquals(0, hikari.getHikariPoolMXBean().getActiveConnections(), "a connection not given back");
        } finally {
            try (Connection c = hikari.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE " + table);
            }
        }
    }

    @Test
    void aBusyHikariPoolIsSkippedWithoutWaitingOnTheWatchdogsThread() throws Exception {
        hikari = TestDatabases.pool(h2Url(), 1);
        hikari.setConnectionTimeout(30_000);
        sampling = new Sampling(EVERY_TIME, watchdog);
        DataSource app = sampling.lens.wrap(hikari, "main");
        try (Connection held = app.getConnection()) {
            try (Statement s = held.createStatement()) {
                OrdersTable.create(s, "orders", 20_000);
                OrdersTable.analyze(s, "orders");
            }
            long start = System.nanoTime();
            OrderQueries.countRows(held, BIG_SCAN, "NEW");
            sampling.await("the sample skipped", () -> sampling.outcome("skipped") >= 1);
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // HikariCP's own timeout is 30 s; the pool had nothing to spare, so the sampler never waited in it
            assertTrue(took < 10_000, took + " ms");
            assertEquals(0, hikari.getHikariPoolMXBean().getThreadsAwaitingConnection());
        }
        assertEquals(List.of(), threads.querylensNames());
        assertEquals(0, watchdog.watched.get());
    }

    @Test
    void aPoolThatCannotBoundItsOwnBorrowGoesOnToTheWorker() throws Exception {
        hikari = TestDatabases.pool(h2Url(), 2);
        OrdersTable.createAnalyzed(hikari, "orders", 20_000);
        sampling = new Sampling(EVERY_TIME, watchdog);
        // a wrapper Querylens cannot read: its borrow is bounded by the watchdog's alarm, on the worker
        DataSource app = sampling.lens.wrap(new DelegatingDataSource(hikari), "main");
        try (Connection c = app.getConnection()) {
            OrderQueries.countRows(c, BIG_SCAN, "NEW");
        }
        sampling.await("the sample explained", () -> sampling.outcome("seqscan") >= 1);
        // the worker lives on for 5 s after its last sample
        assertTrue(threads.querylensNames().contains(ExplainSampler.WORKER_NAME), threads.querylensNames().toString());
        assertTrue(watchdog.tasksRun.get() >= 1, "the sample did not pass the watchdog's thread first");
        assertEquals(1, watchdog.watched.get(), "the worker's borrow was not watched");
    }

    @Test
    void onceTheWatchdogHasStoppedTheWorkerTakesTheSamples() throws Exception {
        hikari = TestDatabases.pool(h2Url(), 2);
        OrdersTable.createAnalyzed(hikari, "orders", 20_000);
        sampling = new Sampling(EVERY_TIME, watchdog);
        DataSource app = sampling.lens.wrap(hikari, "main");
        watchdog.close();
        twoScansExplained(app);
        assertTrue(threads.querylensNames().contains(ExplainSampler.WORKER_NAME), threads.querylensNames().toString());
        assertEquals(0, watchdog.tasksRun.get());
    }

    @Test
    void onlyARunningHikariPoolThatCannotBeSuspendedBoundsItsOwnBorrow() throws Exception {
        hikari = TestDatabases.pool(h2Url(), 1);
        assertNotNull(PoolProbe.timedBorrow(hikari));
        assertNull(PoolProbe.timedBorrow(new DelegatingDataSource(hikari)));
        try (HikariDataSource suspendable = new HikariDataSource()) {
            suspendable.setJdbcUrl(h2Url());
            suspendable.setAllowPoolSuspension(true);
            assertNull(PoolProbe.timedBorrow(suspendable), "a pool that may be suspended");
        }
        try (HikariDataSource ownBorrow = new HikariDataSource() {
            @Override
            public Connection getConnection() throws java.sql.SQLException {
                return super.getConnection(); // an application's: it may set a schema, route, wrap
            }
        }) {
            ownBorrow.setJdbcUrl(h2Url());
            try (Connection c = ownBorrow.getConnection()) {
                assertNull(PoolProbe.timedBorrow(ownBorrow), "a pool whose getConnection() is the application's");
            }
        }
        try (HikariDataSource notStarted = new HikariDataSource()) {
            notStarted.setJdbcUrl(h2Url());
            assertNull(PoolProbe.timedBorrow(notStarted), "a pool that has not started yet");
        }
    }

    @Test
    void theNetworkBoundIsPutBackAsFoundOnPostgresql() throws Exception {
        try (Connection c = TestDatabases.postgresConnection()) {
            networkBoundIsPutBack(c);
        }
    }

    @Test
    void theNetworkBoundIsPutBackAsFoundOnMariadb() throws Exception {
        try (Connection c = TestDatabases.mariadbConnection()) {
            networkBoundIsPutBack(c);
        }
    }

    private static void networkBoundIsPutBack(Connection c) throws Exception {
        assertEquals(0, c.getNetworkTimeout());
        int found = PoolProbe.boundNetwork(c, 5_000);
        assertEquals(0, found);
        assertEquals(5_000, c.getNetworkTimeout());
        try (Statement s = c.createStatement()) {
            assertTrue(s.execute("SELECT 1"), "the connection no longer works under the bound");
        }
        assertTrue(PoolProbe.restoreNetwork(c, found));
        assertEquals(0, c.getNetworkTimeout());

        c.setNetworkTimeout(Runnable::run, 1_000);
        found = PoolProbe.boundNetwork(c, 5_000);
        assertEquals(1_000, c.getNetworkTimeout(), "a tighter bound of the application's was loosened");
        assertTrue(PoolProbe.restoreNetwork(c, found));
        assertEquals(1_000, c.getNetworkTimeout());

        c.setNetworkTimeout(Runnable::run, 60_000);
        found = PoolProbe.boundNetwork(c, 5_000);
        assertEquals(5_000, c.getNetworkTimeout());
        assertTrue(PoolProbe.restoreNetwork(c, found));
        assertEquals(60_000, c.getNetworkTimeout());
    }

    /** Runs two scans of the big table through {@code app} and waits until both were explained. */
    private void twoScansExplained(DataSource app) throws Exception {
        try (Connection c = app.getConnection()) {
            OrderQueries.countRows(c, BIG_SCAN, "NEW");
            OrderQueries.countRows(c, BIG_SCAN + " AND total > ?", "NEW", 0);
        }
        sampling.await("both samples explained", () -> {
            seen.addAll(threads.querylensNames());
            return sampling.outcome("seqscan") >= 2;
        });
        seen.addAll(threads.querylensNames()); // a worker would live on for 5 s after its last sample
    }

    private static String h2Url() {
        return "jdbc:h2:mem:qls_host" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }


    /** A HikariCP pool that records which threads ask for its pool state (the sampler, before each borrow). */
    static final class RecordingHikari extends HikariDataSource {
        final List<String> askedOn = new CopyOnWriteArrayList<>();

        RecordingHikari(String url) {
            setJdbcUrl(url);
            setMaximumPoolSize(2);
        }

        @Override
        public com.zaxxer.hikari.HikariPoolMXBean getHikariPoolMXBean() {
            askedOn.add(Thread.currentThread().getName());
            return super.getHikariPoolMXBean();
        }
    }
}
