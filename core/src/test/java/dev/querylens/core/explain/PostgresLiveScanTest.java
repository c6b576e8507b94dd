package dev.querylens.core.explain;

import dev.querylens.core.testing.TestDatabases;

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

/** Needs the real PostgreSQL of this machine (see TestDatabases). */
class PostgresLiveScanTest extends LiveScanTestBase {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    Connection connect() {
        return TestDatabases.postgresConnection();
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

    @Test
    void aFilterThatKeepsAlmostEveryRowIsNotReported() throws Exception {
        // PetClinic's owners search sampled with '%': the planner expects nearly the whole table back
        assertEquals(List.of(), findings("SELECT count(id) FROM " + big + " WHERE status LIKE ? ESCAPE ?", "%", "\\"));
        assertEquals(1, findings("SELECT count(id) FROM " + big + " WHERE status LIKE ? ESCAPE ?", "NEW%", "\\").size());
    }
}
