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
}
