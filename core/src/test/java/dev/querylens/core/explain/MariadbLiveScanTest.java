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

/** Needs MariaDB at 127.0.0.1:3306 (user root, no password, database test), or {@code -Dquerylens.test.mariadb.url}. */
class MariadbLiveScanTest extends LiveScanTestBase {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }

    @Override
    Connection connect() {
        String url = System.getProperty("querylens.test.mariadb.url", "jdbc:mariadb://127.0.0.1:3306/test");
        try {
            return DriverManager.getConnection(url, System.getProperty("querylens.test.mariadb.user", "root"),
                    System.getProperty("querylens.test.mariadb.password", ""));
        } catch (SQLException e) {
            throw new AssertionError("these tests need MariaDB at " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    void createTable(Statement s, String table, int rows) throws SQLException {
        s.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, customer_id bigint NOT NULL,"
                + " status varchar(20) NOT NULL, total decimal(10,2) NOT NULL)");
        s.execute("INSERT INTO " + table + " SELECT seq, seq % 500, IF(seq % 100 = 0, 'NEW', 'DONE'), seq % 97"
                + " FROM seq_1_to_" + rows);
    }

    @Override
    void analyze(Statement s, String table) throws SQLException {
        s.execute("ANALYZE TABLE " + table);
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
