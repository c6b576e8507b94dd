package dev.querylens.core;

import com.zaxxer.hikari.HikariDataSource;
import com.example.shop.OrderQueries;
import dev.querylens.core.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PostgresExplainSamplerTest extends ExplainSamplerTestBase {
    @Override
    HikariDataSource pool(int size) {
        return TestDatabases.postgres(size);
    }


    @Override
    List<String> writesWithResults(String table) {
        return List.of(
                "DELETE FROM " + table + " WHERE id = 2 RETURNING id",
                "WITH moved AS (UPDATE " + table + " SET total = total + 100 WHERE id = 3 RETURNING id) SELECT id FROM moved");
    }

    @Override
    void assertWritesHappenedOnce(String table) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM " + table + " WHERE id = 2),"
                     + " (SELECT total FROM " + table + " WHERE id = 1), (SELECT total FROM " + table + " WHERE id = 3)")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "deleted once");
            assertEquals(2, rs.getInt(2), "id 1: total 1 + 1");
            assertEquals(103, rs.getInt(3), "id 3: total 3 + 100, once");
        }
    }

    @Test
    void anExplainBehindALockTimesOutWhileTheApplicationGoesOn() throws SQLException {
        useLens(pool, Map.of("querylens.explain.lock-timeout", "100ms"));
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("LOCK TABLE " + small + " IN ACCESS EXCLUSIVE MODE");
            try (UnitOfWork work = lens.begin("POST /migrate")) {
                OrderQueries.countRows(c, "SELECT id FROM " + small + " WHERE status = ?", "NEW");
            }
            await("the EXPLAIN to time out", () -> explained("timeout") >= 1);
            assertEquals(1, query("GET /orders/pk", "SELECT id FROM " + big + " WHERE id = ?", 7),
                    "the application's other requests go on");
            c.commit();
        }
        assertEquals(1.0, explained("timeout"));
    }

    @Test
    void whatCannotBeExplainedElsewhereIsTriedOnceAndNeverAgain() throws SQLException {
        useLens(pool, Map.of("querylens.explain.interval", "0s"));
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE qls_session_only (id int, status text)");
            for (int i = 0; i < 3; i++) {
                try (UnitOfWork work = lens.begin("GET /temp")) {
                    OrderQueries.countRows(c, "SELECT id FROM qls_session_only WHERE status = ?", "NEW");
                }
                await("the first EXPLAIN", () -> explainedInAll() >= 1);
            }
        }
        query("GET /after", "SELECT id FROM " + small + " WHERE id = ?", 1);
        await("the next statement's EXPLAIN", () -> explainedInAll() >= 2);
        assertEquals(1.0, explained("error"), () -> "the temp table is explained once: " + outcomes());
        assertEquals(1.0, explained("ok"));
    }

    @Test
    void statementsQuerylensRunsItselfAreNeverCounted() throws SQLException {
        newLens(Map.of());
        // the sampler's own connections come from a DataSource whose statements Querylens records
        javax.sql.DataSource recorded = lens.wrap(pool, "recorded");
        try (Connection raw = pool.getConnection()) {
            Connection c = lens.wrapConnection(raw, "main", recorded);
            try (UnitOfWork work = lens.begin("GET /orders/new")) {
                OrderQueries.countRows(c, "SELECT id FROM " + big + " WHERE status = ?", "NEW");
            }
        }
        await("one EXPLAIN", () -> explainedInAll() >= 1);
        assertEquals(1.0, explained("seqscan"), () -> outcomes().toString());
        assertEquals(1.0, registry.get(QueryLensMeters.STATEMENTS).tag("endpoint", "GET /orders/new")
                .tag("operation", "select").counter().count());
        assertEquals(0.0, registry.find(QueryLensMeters.STATEMENTS).tag("endpoint", QueryLensMeters.NO_ENDPOINT)
                .counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum(),
                "the EXPLAIN and the table-size query were not counted");
    }
}
