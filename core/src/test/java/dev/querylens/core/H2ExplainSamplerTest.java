package dev.querylens.core;

import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.testing.TestDatabases;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class H2ExplainSamplerTest extends ExplainSamplerTestBase {
    private static final String URL = "jdbc:h2:mem:qls_sampler;DB_CLOSE_DELAY=-1";

    @Override
    HikariDataSource pool(int size) {
        return TestDatabases.pool(URL, size);
    }


    @Override
    List<String> writesWithResults(String table) {
        return List.of("DELETE FROM " + table + " WHERE id = 2");
    }

    @Override
    void assertWritesHappenedOnce(String table) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM " + table + " WHERE id = 2),"
                     + " (SELECT total FROM " + table + " WHERE id = 1)")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "deleted once");
            assertEquals(2, rs.getInt(2), "id 1: total 1 + 1");
        }
    }

    @org.junit.jupiter.api.Test
    void theFilterReadsAsWrittenWithoutValues() throws SQLException {
        useLens(pool, java.util.Map.of());
        query("GET /orders/new", "SELECT id FROM " + big + " WHERE status = ?", "NEW");
        await("one EXPLAIN", () -> explainedInAll() >= 1);
        assertEquals(List.of("status = ?"), seqScans().stream().map(f -> f.details().get("filter")).toList());
    }
}
