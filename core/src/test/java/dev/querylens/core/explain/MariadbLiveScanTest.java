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

/** Needs the real MariaDB of this machine (see TestDatabases). */
class MariadbLiveScanTest extends LiveScanTestBase {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }

    @Override
    Connection connect() {
        return TestDatabases.mariadbConnection();
    }



    @Override
    String dropIndex(String index, String table) {
        return "DROP INDEX " + index + " ON " + table;
    }

    @Test
    void aLockedTableMakesTheExplainGiveUp() throws Exception {
        try (Connection other = connect(); Statement s = other.createStatement()) {
            s.execute("LOCK TABLES " + big + " WRITE");
            try {
                SQLException e = assertThrows(SQLException.class, () -> ExplainJdbc.explain(connection, dialect(),
                        "SELECT * FROM " + big + " WHERE status = 'NEW'", List.of(),
                        new ExplainTimeouts(Duration.ofSeconds(5), Duration.ofMillis(100))));
                assertEquals(1205, e.getErrorCode(), e.getMessage()); // ER_LOCK_WAIT_TIMEOUT
            } finally {
                s.execute("UNLOCK TABLES");
            }
        }
        assertEquals(1, findings("SELECT * FROM " + big + " WHERE status = 'NEW'").size());
    }
}
