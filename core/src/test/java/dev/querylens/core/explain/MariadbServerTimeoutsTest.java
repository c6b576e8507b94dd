package dev.querylens.core.explain;

import dev.querylens.core.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On MariaDB each of the sampler's statements carries its own {@code max_statement_time}; no JDBC query timeout,
 * for which MySQL Connector/J would start a timer thread per connection (and MariaDB Connector/J would only send
 * one more {@code max_statement_time}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariadbServerTimeoutsTest {
    /** Far longer than the statement timeout below: only the server's limit can end it this early. */
    private static final int SLEEP_SECONDS = 20;
    private static final ExplainTimeouts ONE_SECOND = new ExplainTimeouts(Duration.ofSeconds(1), Duration.ofMillis(500));

    private final String sfx = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final String orders = "qls_to_orders_" + sfx;
    private final String slow = "qls_to_slow_" + sfx;
    private final String slowView = "qls_to_view_" + sfx;

    @BeforeAll
    void createObjects() throws SQLException {
        try (Connection c = TestDatabases.mariadbConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + orders + " (id bigint PRIMARY KEY, status varchar(20) NOT NULL)");
            s.execute("INSERT INTO " + orders + " SELECT seq, 'DONE' FROM seq_1_to_100");
            // the optimizer calls a DETERMINISTIC function with constant arguments: planning the view's query sleeps
            s.execute("CREATE FUNCTION " + slow + "(x int) RETURNS int DETERMINISTIC NO SQL"
                    + " BEGIN DO SLEEP(" + SLEEP_SECONDS + "); RETURN x; END");
            s.execute("CREATE VIEW " + slowView + " AS SELECT id, status FROM " + orders + " WHERE id = " + slow + "(1)");
        }
    }

    @AfterAll
    void dropObjects() throws SQLException {
        try (Connection c = TestDatabases.mariadbConnection(); Statement s = c.createStatement()) {
            s.execute("DROP VIEW IF EXISTS " + slowView);
            s.execute("DROP FUNCTION IF EXISTS " + slow);
            s.execute("DROP TABLE IF EXISTS " + orders);
        }
    }

    @Test
    void aSlowPlanIsEndedByTheServersStatementTimeout() throws SQLException {
        try (Connection c = TestDatabases.mariadbConnection()) {
            double maxStatementTime = maxStatementTime(c);
            SQLException e = assertThrows(SQLException.class, () -> ExplainJdbc.explain(c, Dialect.MARIADB,
                    "SELECT id FROM " + slowView + " WHERE status = 'NEW'", List.of(), ONE_SECOND));
            assertEquals(1969, e.getErrorCode(), e.getMessage()); // ER_STATEMENT_TIMEOUT
            assertTrue(TimeoutClassifier.isTimeout(Dialect.MARIADB, e));
            assertTrue(c.getAutoCommit());
            assertEquals(maxStatementTime, maxStatementTime(c), "max_statement_time was scoped to the statement");
        }
    }

    @Test
    void theSamplersOwnStatementsCarryNoJdbcTimeout() throws SQLException {
        try (Connection c = TestDatabases.mariadbConnection();
             ExplainSession session = ExplainSession.open(c, Dialect.MARIADB, ONE_SECOND);
             PreparedStatement ps = session.prepare("SELECT 1")) {
            assertEquals(0, ps.getQueryTimeout());
        }
    }

    private static double maxStatementTime(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@SESSION.max_statement_time")) {
            rs.next();
            return rs.getDouble(1);
        }
    }
}
