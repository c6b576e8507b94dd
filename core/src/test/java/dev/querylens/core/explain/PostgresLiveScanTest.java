package dev.querylens.core.explain;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Needs PostgreSQL at 127.0.0.1:5432 (user postgres, database test), or {@code -Dquerylens.test.postgres.url}. */
class PostgresLiveScanTest extends LiveScanTestBase {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    Connection connect() {
        String url = System.getProperty("querylens.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
        try {
            return DriverManager.getConnection(url, System.getProperty("querylens.test.postgres.user", "postgres"),
                    System.getProperty("querylens.test.postgres.password", ""));
        } catch (SQLException e) {
            throw new AssertionError("these tests need PostgreSQL at " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    void createTable(Statement s, String table, int rows) throws SQLException {
        s.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, customer_id bigint NOT NULL,"
                + " status varchar(20) NOT NULL, total numeric(10,2) NOT NULL)");
        s.execute("INSERT INTO " + table + " SELECT g, g % 500, CASE WHEN g % 100 = 0 THEN 'NEW' ELSE 'DONE' END,"
                + " g % 97 FROM generate_series(1, " + rows + ") g");
    }

    @Override
    void analyze(Statement s, String table) throws SQLException {
        s.execute("ANALYZE " + table);
    }

    @Test
    void aLockedTableMakesTheExplainGiveUpAndLeavesTheConnectionAsFound() throws Exception {
        try (Connection other = connect(); Statement s = other.createStatement()) {
            other.setAutoCommit(false);
            s.execute("LOCK TABLE " + big + " IN ACCESS EXCLUSIVE MODE");
            SQLException e = assertThrows(SQLException.class, () -> ExplainJdbc.explain(connection, dialect(),
                    "SELECT * FROM " + big + " WHERE status = 'NEW'", List.of(),
                    new ExplainTimeouts(Duration.ofSeconds(5), Duration.ofMillis(100))));
            assertEquals("55P03", e.getSQLState(), e.getMessage()); // lock_not_available
            other.rollback();
        }
        assertTrue(connection.getAutoCommit());
        assertEquals(1, findings("SELECT * FROM " + big + " WHERE status = 'NEW'").size());
    }
}
