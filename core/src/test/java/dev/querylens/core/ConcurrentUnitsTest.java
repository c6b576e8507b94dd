package dev.querylens.core;

import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.testing.TestDatabases;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact counts under concurrency: 64 threads start together, each runs 20 units of work of 50 statements (40 reads of
 * one SELECT with different values, an N+1, and 10 writes) on 8 shared endpoint names, through real JDBC on H2
 * behind HikariCP. Every statement is in the meters once, every unit once, every N+1 once, and nothing failed
 * inside Querylens.
 */
class ConcurrentUnitsTest {

    private static final int THREADS = 64;
    private static final int UNITS = 20;
    private static final int READS = 40;
    private static final int WRITES = 10;
    private static final int ENDPOINTS = 8;

    private HikariDataSource pool;
    private SimpleMeterRegistry registry;
    private QueryLens lens;
    private ExecutorService threads;

    @BeforeEach
    void setUp() throws SQLException {
        pool = TestDatabases.pool("jdbc:h2:mem:concurrent" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", THREADS);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table item (id int primary key, name varchar(20))");
            s.execute("insert into item select x, 'item ' || x from system_range(1, " + READS + ")");
            s.execute("create table event (thread_id int, unit_id int, n int)");
        }
        registry = new SimpleMeterRegistry();
        lens = QueryLens.builder().meterRegistry(registry).build();
        threads = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
        lens.close();
        pool.close();
    }

    @Test
    void sixtyFourThreadsOfTwentyUnitsOfFiftyStatementsGiveExactly64000() throws Exception {
        DataSource ds = lens.wrap(pool, "h2");
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            done.add(threads.submit(() -> {
                start.await();
                for (int u = 0; u < UNITS; u++) {
                    try (UnitOfWork work = lens.begin("GET /load/" + (thread % ENDPOINTS));
                         Connection c = ds.getConnection();
                         PreparedStatement read = c.prepareStatement("select name from item where id = ?");
                         PreparedStatement write = c.prepareStatement("insert into event values (?, ?, ?)")) {
                        for (int id = 1; id <= READS; id++) {
                            read.setInt(1, id);
                            try (ResultSet rs = read.executeQuery()) {
                                assertTrue(rs.next());
                            }
                        }
                        for (int n = 0; n < WRITES; n++) {
                            write.setInt(1, thread);
                            write.setInt(2, u);
                            write.setInt(3, n);
                            assertEquals(1, write.executeUpdate());
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(5, TimeUnit.MINUTES);
        }

        int units = THREADS * UNITS;
        assertEquals(units * READS, sum(QueryLensMeters.STATEMENTS, "select"));
        assertEquals(units * WRITES, sum(QueryLensMeters.STATEMENTS, "insert"));
        assertEquals(64_000, sum(QueryLensMeters.STATEMENTS, null), "every statement counted once");
        long unitCount = 0;
        double perUnitTotal = 0;
        for (DistributionSummary s : registry.get(QueryLensMeters.REQUEST_STATEMENTS).summaries()) {
            unitCount += s.count();
            perUnitTotal += s.totalAmount();
            assertEquals(50.0, s.max(), s.getId().toString());
        }
        assertEquals(units, unitCount, "every unit counted once");
        assertEquals(64_000, perUnitTotal);
        assertEquals(ENDPOINTS, registry.get(QueryLensMeters.REQUEST_STATEMENTS).summaries().size());
        assertEquals(units, sum(QueryLensMeters.NPLUSONE, null), "one N+1 per unit");
        assertEquals(0, sum(QueryLensMeters.STATEMENTS, null, QueryLensMeters.NO_ENDPOINT), "nothing under none");
        assertEquals(0.0, registry.get(QueryLensMeters.INTERNAL_ERRORS).counter().count(), "internal errors");
    }

    private double sum(String meter, String operation) {
        double total = 0;
        for (Counter c : registry.find(meter).counters()) {
            if (QueryLensMeters.NO_ENDPOINT.equals(c.getId().getTag("endpoint"))) {
                continue;
            }
            if (operation == null || operation.equals(c.getId().getTag("operation"))) {
                total += c.count();
            }
        }
        return total;
    }

    private double sum(String meter, String operation, String endpoint) {
        double total = 0;
        for (Counter c : registry.find(meter).tag("endpoint", endpoint).counters()) {
            if (operation == null || operation.equals(c.getId().getTag("operation"))) {
                total += c.count();
            }
        }
        return total;
    }
}
