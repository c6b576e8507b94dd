package dev.querylens.core.explain;

import com.example.shop.OrderQueries;
import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.UnitOfWork;
import dev.querylens.core.testing.OrdersTable;
import dev.querylens.core.testing.Sampling;
import dev.querylens.core.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sampler's threads exist only while there is sampling to do: none before the first sample, one worker from
 * the first sample queued, none once it has been idle for {@link ExplainSampler#WORKER_IDLE_NANOS}, a new one for
 * the next sample; never two workers, and no sample left in the queue without one. Threads of other engines in
 * this JVM (earlier tests) are told apart by identity: only threads that were not there before count.
 */
class SamplerThreadTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Set<Thread> before;
    private HikariDataSource pool;
    private Sampling sampling;
    private DataSource app;

    @BeforeEach
    void setUp() throws SQLException {
        before = Set.copyOf(Thread.getAllStackTraces().keySet());
        pool = TestDatabases.pool("jdbc:h2:mem:qls_threads" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1", 4);
        OrdersTable.createAnalyzed(pool, "orders", 20_000);
        sampling = new Sampling(Map.of("querylens.explain.interval", "0", "querylens.explain.max-per-minute", "10000"));
        app = sampling.lens.wrap(pool, "main");
    }

    @AfterEach
    void tearDown() {
        sampling.close();
        pool.close();
    }

    @Test
    void theWorkerStartsWithTheFirstSampleEndsWhenIdleAndStartsAgain() throws Exception {
        assertEquals(List.of(), threads("querylens-explain"), "a worker before anything was sampled");
        // statements that are never sampled start nothing
        try (UnitOfWork work = sampling.lens.begin("POST /orders"); Connection c = app.getConnection();
             Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE orders SET total = total WHERE id = 1");
        }
        assertEquals(List.of(), threads("querylens-explain"), "a worker though nothing was sampled");

        select("SELECT id FROM orders WHERE status = ?", "NEW");
        sampling.awaitTotal(1);
        List<Thread> first = threads("querylens-explain");
        assertEquals(1, first.size(), "one worker once a sample was queued: " + first);

        sampling.await("the idle worker and borrowing thread to end", () -> threads("querylens-explain").isEmpty()
                && threads("querylens-explain-borrow").isEmpty());

        select("SELECT id FROM orders WHERE customer_id = ?", 7);
        sampling.awaitTotal(2);
        List<Thread> second = threads("querylens-explain");
        assertEquals(1, second.size(), "one worker for the next sample: " + second);
        assertNotSame(first.get(0), second.get(0));
        assertEquals(0, sampling.outcome("error"), () -> sampling.outcomes().toString());
    }

    /**
     * Samples queued from many threads at once, right after the worker ended: each is explained, and at no time
     * are two workers running.
     */
    @Test
    void samplesQueuedTogetherAfterAnIdleEndAreAllExplainedByOneWorker() throws Exception {
        select("SELECT id FROM orders WHERE status = ?", "NEW");
        sampling.awaitTotal(1);
        sampling.await("the idle worker to end", () -> threads("querylens-explain").isEmpty());

        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> apps = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int n = i;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    select("SELECT id FROM orders WHERE status = ? AND id > " + n, "NEW");
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            t.start();
            apps.add(t);
        }
        AtomicInteger mostWorkers = new AtomicInteger();
        start.countDown();
        for (Thread t : apps) {
            while (t.isAlive()) {
                mostWorkers.accumulateAndGet(threads("querylens-explain").size(), Math::max);
                t.join(1);
            }
        }
        assertEquals(List.of(), failures);
        sampling.await("every sample explained", () -> {
            mostWorkers.accumulateAndGet(threads("querylens-explain").size(), Math::max);
            return sampling.total() >= 1 + threads;
        });
        assertEquals(1 + threads, sampling.total(), () -> sampling.outcomes().toString());
        assertTrue(mostWorkers.get() <= 1, mostWorkers.get() + " workers at once");
    }

    @Test
    void closingEndsTheWorker() throws Exception {
        select("SELECT id FROM orders WHERE status = ?", "NEW");
        sampling.awaitTotal(1);
        assertEquals(1, threads("querylens-explain").size());
        sampling.close();
        assertEquals(List.of(), threads("querylens-explain"), "a worker after close");
    }

    private void select(String sql, Object... binds) throws SQLException {
        try (UnitOfWork work = sampling.lens.begin("GET /orders"); Connection c = app.getConnection()) {
            OrderQueries.countRows(c, sql, binds);
        }
    }

    /** Live threads of that name started since this test began. */
    private List<Thread> threads(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name) && t.isAlive() && !before.contains(t))
                .toList();
    }
}
