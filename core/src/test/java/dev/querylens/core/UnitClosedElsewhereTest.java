package dev.querylens.core;

import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.testing.TestDatabases;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A unit of work begun on one pooled thread and closed on another (an async completion, a callback) ends there, and
 * the thread that began it starts afresh: its next {@code begin} opens a unit of its own, and what it runs before
 * that counts under {@code none}. Real JDBC on H2, real pooled threads.
 */
class UnitClosedElsewhereTest {
    private HikariDataSource pool;
    private SimpleMeterRegistry registry;
    private QueryLens lens;
    private DataSource ds;
    /** One thread: every task after the first runs on the thread that began the unit. */
    private ExecutorService requestThread;
    private ExecutorService completionThread;

    @BeforeEach
    void setUp() {
        pool = TestDatabases.h2();
        registry = new SimpleMeterRegistry();
        lens = QueryLens.builder().meterRegistry(registry).build();
        ds = lens.wrap(pool, "h2");
        requestThread = Executors.newSingleThreadExecutor();
        completionThread = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        requestThread.shutdownNow();
        completionThread.shutdownNow();
        assertTrue(requestThread.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(completionThread.awaitTermination(10, TimeUnit.SECONDS));
        lens.close();
        pool.close();
    }

    private void statements(int n) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (int i = 0; i < n; i++) {
                s.executeQuery("select " + i).close();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T on(ExecutorService thread, Callable<T> task) throws Exception {
        return thread.submit(task).get(30, TimeUnit.SECONDS);
    }

    private double statementsOf(String endpoint) {
        var counter = registry.find(QueryLensMeters.STATEMENTS).tag("endpoint", endpoint).tag("operation", "select")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private long unitsOf(String endpoint) {
        DistributionSummary s = registry.find(QueryLensMeters.REQUEST_STATEMENTS).tag("endpoint", endpoint).summary();
        return s == null ? 0 : s.count();
    }

    @Test
    void theThreadThatBeganAUnitClosedElsewhereStartsAfreshAtItsNextBegin() throws Exception {
        UnitOfWork async = on(requestThread, () -> {
            UnitOfWork work = lens.begin("GET /async");
            statements(2);
            return work;
        });
        on(completionThread, () -> {
            async.close();
            return null;
        });
        assertEquals(2, statementsOf("GET /async"));
        assertEquals(1, unitsOf("GET /async"), "closing on another thread ends the unit");

        boolean inUnitAfterClose = on(requestThread, () -> lens.inUnitOfWork());
        assertFalse(inUnitAfterClose, "the thread that began the unit is in none once it ended elsewhere");
        assertNull(on(requestThread, () -> lens.carry()), "an ended unit is never carried on");

        on(requestThread, () -> {
            statements(1);
            try (UnitOfWork next = lens.begin("GET /next")) {
                assertEquals("GET /next", next.endpoint());
                statements(3);
            }
            return null;
        });
        assertEquals(3, statementsOf("GET /next"), "the next request is a unit of its own");
        assertEquals(1, unitsOf("GET /next"));
        assertEquals(1, statementsOf(QueryLensMeters.NO_ENDPOINT), "what ran in between counts under none");
        assertEquals(2, statementsOf("GET /async"), "nothing is added to the published unit");
        assertEquals(1, unitsOf("GET /async"));
        assertFalse(on(requestThread, () -> lens.inUnitOfWork()));
    }

    @Test
    void aThreadWithoutFurtherStatementsStillBeginsAfresh() throws Exception {
        for (int request = 0; request < 3; request++) {
            String endpoint = "GET /r" + request;
            UnitOfWork work = on(requestThread, () -> {
                UnitOfWork w = lens.begin(endpoint);
                statements(1);
                return w;
            });
            on(completionThread, () -> {
                work.close();
                return null;
            });
        }
        for (int request = 0; request < 3; request++) {
            assertEquals(1, unitsOf("GET /r" + request), "each request on the pooled thread is its own unit");
            assertEquals(1, statementsOf("GET /r" + request));
        }
        assertEquals(0, registry.get(QueryLensMeters.INTERNAL_ERRORS).counter().count());
    }

    @Test
    void aJoinedHandleClosedElsewhereLeavesTheUnitOpen() throws Exception {
        UnitOfWork[] handles = on(requestThread, () -> {
            UnitOfWork outer = lens.begin("GET /outer");
            UnitOfWork inner = lens.begin("ignored");
            return new UnitOfWork[]{outer, inner};
        });
        on(completionThread, () -> {
            handles[1].close();
            return null;
        });
        assertTrue(on(requestThread, () -> lens.inUnitOfWork()), "only the handle that began the unit ends it");
        on(requestThread, () -> {
            statements(2);
            return null;
        });
        on(completionThread, () -> {
            handles[0].close();
            return null;
        });
        assertEquals(2, statementsOf("GET /outer"));
        assertEquals(1, unitsOf("GET /outer"));
        assertFalse(on(requestThread, () -> lens.inUnitOfWork()));
    }
}
