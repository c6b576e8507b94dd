package dev.querylens.core;

import com.example.library.BookQueries;
import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.detect.FindingKind;
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
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Units of work carried to other threads with the core API ({@link QueryLens#carry()}, {@link QueryLens#attach},
 * {@link QueryLens#wrap}): exact counts from concurrent tasks, loops spread over threads, tasks that outlive their
 * unit. Real JDBC on H2 behind HikariCP, real thread pools.
 */
class CarriedUnitTest {
    private HikariDataSource pool;
    private SimpleMeterRegistry registry;
    private QueryLens lens;
    private DataSource ds;
    private ExecutorService workers;

    @BeforeEach
    void setUp() throws SQLException {
        pool = TestDatabases.pool("jdbc:h2:mem:carried" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", 8);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table author (id int primary key, name varchar(50))");
            s.execute("create table book (id int primary key, author_id int, title varchar(50))");
            for (int i = 1; i <= 50; i++) {
                s.execute("insert into author values (" + i + ", 'author " + i + "')");
                s.execute("insert into book values (" + i + ", " + i + ", 'book " + i + "')");
            }
        }
        registry = new SimpleMeterRegistry();
        lens = QueryLens.builder().meterRegistry(registry).build();
        ds = lens.wrap(pool, "h2");
        workers = Executors.newFixedThreadPool(4);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        workers.shutdownNow();
        assertTrue(workers.awaitTermination(10, TimeUnit.SECONDS));
        pool.close();
    }

    private void book(int authorId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("select title from book where author_id = ?")) {
            ps.setInt(1, authorId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void authors() {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select id from author")) {
            while (rs.next()) {
                rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private double statements(String endpoint) {
        return registry.find(QueryLensMeters.STATEMENTS).tag("endpoint", endpoint).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private DistributionSummary perUnit(String endpoint) {
        return registry.find(QueryLensMeters.REQUEST_STATEMENTS).tag("endpoint", endpoint).summary();
    }

    private long findings(FindingKind kind, String endpoint) {
        return lens.findings().findings().stream().filter(f -> f.kind() == kind && f.endpoint().equals(endpoint)).count();
    }

    @Test
    void sixteenTasksOfFiftyStatementsOnAPoolCountExactlyEightHundredMore() throws Exception {
        ExecutorService pool = lens.wrap(workers);
        int units = 10;
        for (int u = 0; u < units; u++) {
            try (UnitOfWork work = lens.begin("GET /fanout")) {
                authors();
                List<Future<?>> tasks = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    int first = t;
                    tasks.add(pool.submit(() -> {
                        for (int i = 0; i < 50; i++) {
                            book(1 + (first + i) % 50);
                        }
                    }));
                }
                for (Future<?> f : tasks) {
                    f.get(30, TimeUnit.SECONDS);
                }
            }
        }
        assertEquals(units, perUnit("GET /fanout").count());
        assertEquals(units * 801.0, perUnit("GET /fanout").totalAmount());
        assertEquals(units * 801.0, statements("GET /fanout"));
        assertEquals(0.0, statements(QueryLensMeters.NO_ENDPOINT));
        // the loop of each task is an N+1 of the unit, found once per unit
        assertEquals(units, registry.find(QueryLensMeters.NPLUSONE).tag("endpoint", "GET /fanout").counter().count());
        assertEquals(0.0, registry.find(QueryLensMeters.INTERNAL_ERRORS).counter().count());
    }

    @Test
    void aLoopSpreadOverTasksIsOneNPlusOneWithItsParentQuery() throws Exception {
        try (UnitOfWork work = lens.begin("GET /spread")) {
            authors();
            List<CompletableFuture<Void>> each = new ArrayList<>();
            for (int id = 1; id <= 6; id++) {
                int authorId = id;
                each.add(CompletableFuture.runAsync(lens.wrap(() -> BookQueries.title(ds, authorId)), workers));
            }
            CompletableFuture.allOf(each.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        }
        assertEquals(7.0, perUnit("GET /spread").totalAmount());
        FindingSummary nPlusOne = lens.findings().findings().stream()
                .filter(f -> f.kind() == FindingKind.N_PLUS_ONE).findFirst().orElseThrow();
        assertEquals("GET /spread", nPlusOne.endpoint());
        assertEquals("select title from book where author_id = ?", nPlusOne.sql());
        assertEquals("select id from author", nPlusOne.parentQuery());
        // no thread ran the loop alone: where one of them first ran the query names the place
        assertTrue(nPlusOne.callSite() != null && nPlusOne.callSite().contains("BookQueries.title"), nPlusOne.callSite());
    }

    @Test
    void theSameQueryWithTheSameValuesOnSeveralThreadsIsADuplicate() throws Exception {
        try (UnitOfWork work = lens.begin("GET /dup")) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                tasks.add(workers.submit(lens.wrap(() -> book(7))));
            }
            for (Future<?> f : tasks) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        assertEquals(1, findings(FindingKind.DUPLICATE, "GET /dup"));
        assertEquals(0, findings(FindingKind.N_PLUS_ONE, "GET /dup"));
    }

    @Test
    void whatATaskRunsAfterItsUnitEndedCountsUnderNoneAndNeverInThePublishedUnit() throws Exception {
        CountDownLatch ranBefore = new CountDownLatch(1);
        CountDownLatch unitEnded = new CountDownLatch(1);
        Future<?> task;
        try (UnitOfWork work = lens.begin("GET /detached")) {
            authors();
            task = workers.submit(lens.wrap(() -> {
                for (int i = 1; i <= 3; i++) {
                    book(i);
                }
                ranBefore.countDown();
                await(unitEnded);
                for (int i = 1; i <= 5; i++) {
                    book(i);
                }
            }));
            await(ranBefore);
        }
        assertEquals(4.0, perUnit("GET /detached").totalAmount(), "published with the 3 statements run before its end");
        unitEnded.countDown();
        task.get(30, TimeUnit.SECONDS);
        assertEquals(1, perUnit("GET /detached").count());
        assertEquals(4.0, perUnit("GET /detached").totalAmount());
        assertEquals(4.0, statements("GET /detached"));
        assertEquals(5.0, statements(QueryLensMeters.NO_ENDPOINT));

        // a task that only starts once its unit ended runs entirely under none
        Runnable late;
        try (UnitOfWork work = lens.begin("GET /late")) {
            late = lens.wrap(() -> book(1));
        }
        workers.submit(late).get(30, TimeUnit.SECONDS);
        assertEquals(0.0, statements("GET /late"));
        assertEquals(6.0, statements(QueryLensMeters.NO_ENDPOINT));
    }

    @Test
    void aTaskRunOnTheThreadThatOpenedTheUnitCountsOnce() {
        try (UnitOfWork work = lens.begin("GET /inline")) {
            CarriedUnit unit = lens.carry();
            assertSame(unit, lens.carry());
            assertEquals("GET /inline", unit.endpoint());
            lens.wrap(() -> book(1)).run();
            try (CarriedUnit.Scope s = lens.attach(unit)) {
                book(2);
            }
            book(3);
        }
        assertEquals(3.0, statements("GET /inline"));
        assertNull(lens.carry(), "the thread is in no unit afterwards");
    }

    @Test
    void aThreadInAUnitOfItsOwnRunsACarriedTaskInTheTasksUnitThenGoesBack() throws Exception {
        CarriedUnit first;
        Callable<Integer> task;
        try (UnitOfWork work = lens.begin("GET /first")) {
            first = lens.carry();
            task = lens.wrap(() -> {
                book(1);
                return 1;
            });
            workers.submit(() -> {
                try (UnitOfWork own = lens.begin("JOB other")) {
                    book(2);
                    task.call();
                    book(3);
                    assertEquals("JOB other", lens.carry().endpoint());
                }
                return null;
            }).get(30, TimeUnit.SECONDS);
            assertTrue(!first.ended());
        }
        assertTrue(first.ended());
        assertEquals(1.0, statements("GET /first"));
        assertEquals(2.0, statements("JOB other"));
    }

    @Test
    void invokeAllThroughAWrappedExecutorService() throws Exception {
        ExecutorService pool = lens.wrap(workers);
        try (UnitOfWork work = lens.begin("GET /all")) {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                int id = i;
                tasks.add(() -> {
                    book(id);
                    return id;
                });
            }
            for (Future<Integer> f : pool.invokeAll(tasks)) {
                f.get();
            }
        }
        assertEquals(4.0, statements("GET /all"));
    }

    @Test
    void disabledCarriesNothing() throws Exception {
        QueryLens off = QueryLens.builder().meterRegistry(new SimpleMeterRegistry()).config(Map.of("querylens.enabled", "false")).build();
        Runnable r = () -> {
        };
        try (UnitOfWork work = off.begin("GET /x")) {
            assertNull(off.carry());
            assertSame(r, off.wrap(r));
            assertSame(CarriedUnit.Scope.NOOP, off.attach(null));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
