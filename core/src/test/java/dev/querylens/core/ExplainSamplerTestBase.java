package dev.querylens.core;

import dev.querylens.core.detect.FindingKind;

import com.example.shop.OrderQueries;
import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.testing.Sampling;
import dev.querylens.core.testing.OrdersTable;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The EXPLAIN sampler end to end on a real database: the application's statements run through a wrapped
 * HikariCP pool inside units of work, the sampler explains them on its own connections in the background.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ExplainSamplerTestBase {
    static final int BIG_ROWS = 50_000;
    static final int SMALL_ROWS = 50;

    final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    final String big = "qls_big_" + suffix;
    final String small = "qls_small_" + suffix;
    HikariDataSource pool;
    /** The lens under test and its EXPLAIN outcomes; {@link #registry} and {@link #lens} are its. */
    Sampling sampling;
    MeterRegistry registry;
    QueryLens lens;
    DataSource ds;

    abstract HikariDataSource pool(int size);


    @BeforeAll
    void createTables() throws SQLException {
        pool = pool(4);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of(big, small)) {
                OrdersTable.create(s, table, table.equals(big) ? BIG_ROWS : SMALL_ROWS);
                OrdersTable.analyze(s, table);
            }
        }
    }

    @AfterAll
    void dropTables() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + big);
            s.execute("DROP TABLE IF EXISTS " + small);
        } finally {
            pool.close();
        }
    }

    void useLens(DataSource target, Map<String, String> config) {
        newLens(config);
        ds = lens.wrap(target, "main");
    }

    void newLens(Map<String, String> config) {
        sampling = new Sampling(config);
        registry = sampling.registry;
        lens = sampling.lens;
    }

    @AfterEach
    void closeLens() {
        if (lens != null) {
            lens.close();
        }
    }

    double explained(String outcome) {
        return sampling.outcome(outcome);
    }

    Map<String, Double> outcomes() {
        return sampling.outcomes();
    }

    double explainedInAll() {
        return sampling.total();
    }

    void await(String what, BooleanSupplier condition) {
        sampling.await(what, condition);
    }

    int query(String endpoint, String sql, Object... binds) throws SQLException {
        try (UnitOfWork work = lens.begin(endpoint); Connection c = ds.getConnection()) {
            return OrderQueries.countRows(c, sql, binds);
        }
    }

    List<FindingSummary> seqScans() {
        return lens.findings().findings().stream().filter(f -> f.kind() == FindingKind.SEQ_SCAN).toList();
    }

    @Test
    void aFilterOnAnUnindexedColumnOfABigTableIsReportedWithItsIndex() throws SQLException {
        useLens(pool, Map.of());
        assertEquals(BIG_ROWS / 100, query("GET /orders/new", "SELECT id, total FROM " + big + " WHERE status = ?", "NEW"));
        await("one EXPLAIN", () -> explainedInAll() >= 1);
        assertEquals(1.0, explained("seqscan"), () -> outcomes() + " " + lens.findings().findings());
        List<FindingSummary> scans = seqScans();
        assertEquals(1, scans.size(), scans::toString);
        FindingSummary f = scans.get(0);
        assertEquals("GET /orders/new", f.endpoint());
        assertEquals(big, f.table());
        assertTrue(Long.parseLong(f.details().get("tableRows")) >= BIG_ROWS / 2, f.details().toString());
        String suggestion = f.details().get("suggestion");
        assertNotNull(suggestion, f.details().toString());
        assertTrue(suggestion.toLowerCase().endsWith(" on " + big + " (status)"), suggestion);
        assertTrue(!f.details().getOrDefault("filter", "").contains("NEW"), "no bind value leaves: " + f.details());
        assertTrue(f.sql().contains("status = ?"), f.sql());
        assertEquals(1.0, registry.get(QueryLensMeters.SEQSCAN).tag("endpoint", "GET /orders/new").counter().count());
        assertNotNull(f.callSite(), "the call site is named");
        assertTrue(f.callSite().startsWith("com.example.shop.OrderQueries.countRows(OrderQueries.java:"), f.callSite());
    }

    @Test
    void aSampleWaitsForItsUnitToEndAndTakesItsFinalName() throws SQLException {
        useLens(pool, Map.of());
        try (UnitOfWork work = lens.begin("GET /orders/42/new")) {
            try (Connection c = ds.getConnection()) {
                OrderQueries.countRows(c, "SELECT id FROM " + big + " WHERE status = ? AND customer_id > ?", "NEW", 3);
            }
            assertEquals(0.0, explainedInAll(), "nothing is explained while the unit runs");
            work.endpoint("GET /orders/{id}/new");
        }
        await("one EXPLAIN", () -> explainedInAll() >= 1);
        assertEquals(List.of("GET /orders/{id}/new"), seqScans().stream().map(FindingSummary::endpoint).toList());
    }

    @Test
    void theSameStatementIsExplainedOncePerInterval() throws SQLException {
        useLens(pool, Map.of());
        for (int i = 0; i < 5; i++) {
            query("GET /orders/new", "SELECT id FROM " + big + " WHERE status = ? AND total > ?", "NEW", i);
        }
        await("one EXPLAIN", () -> explainedInAll() >= 1);
        query("GET /orders/pk", "SELECT id FROM " + big + " WHERE id = ?", 42);
        await("the second statement's EXPLAIN", () -> explainedInAll() >= 2);
        assertEquals(2.0, explainedInAll());
    }

    @Test
    void aSmallTableAndAPrimaryKeyLookupAreNotReported() throws SQLException {
        useLens(pool, Map.of());
        query("GET /small", "SELECT id FROM " + small + " WHERE status = ?", "NEW");
        query("GET /pk", "SELECT status FROM " + big + " WHERE id = ?", 42);
        await("two EXPLAINs", () -> explainedInAll() >= 2);
        assertEquals(2.0, explained("ok"), () -> outcomes() + " " + lens.findings().findings());
        assertEquals(List.of(), seqScans());
    }

    @Test
    void writesAreNeverExplainedAndChangeRowsOnce() throws SQLException {
        useLens(pool, Map.of());
        try (UnitOfWork work = lens.begin("PUT /orders"); Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate("UPDATE " + small + " SET total = total + 1 WHERE id = 1"));
            for (String write : writesWithResults(small)) {
                s.execute(write);
            }
        }
        query("GET /check", "SELECT id FROM " + small + " WHERE id = ?", 1);
        await("the check's EXPLAIN", () -> explainedInAll() >= 1);
        assertEquals(1.0, explainedInAll(), "only the one SELECT was explained");
        assertWritesHappenedOnce(small);
    }

    /** Writes that return rows (RETURNING, data-modifying CTEs) where the database has them. */
    abstract List<String> writesWithResults(String table);

    abstract void assertWritesHappenedOnce(String table) throws SQLException;

    @Test
    void aBusyPoolOfOneIsNeverWaitedOn() throws SQLException {
        try (HikariDataSource one = pool(1)) {
            useLens(one, Map.of());
            // outside a unit of work a sampled statement is queued at once, while its connection is still held
            try (Connection held = ds.getConnection()) {
                assertEquals(BIG_ROWS / 100, OrderQueries.countRows(held, "SELECT id FROM " + big + " WHERE status = ?", "NEW"));
                await("the sample to be skipped", () -> explained("skipped") >= 1);
                assertEquals(0, one.getHikariPoolMXBean().getThreadsAwaitingConnection());
                assertEquals(1.0, explainedInAll(), () -> "the only sample was skipped: " + outcomes());
                assertEquals(1, OrderQueries.countRows(held, "SELECT id FROM " + big + " WHERE id = ?", 3),
                        "the application keeps its connection and goes on");
            }
            assertEquals(List.of(), seqScans());
        }
    }
}
