package dev.querylens.core.explain;

import com.example.shop.OrderQueries;
import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.UnitOfWork;
import dev.querylens.core.testing.OrdersTable;
import dev.querylens.core.testing.Sampling;
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
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On PostgreSQL the sampler's statements are bounded by the server alone ({@code SET LOCAL statement_timeout},
 * {@code lock_timeout}), never by a JDBC query timeout: pgjdbc runs those on a timer thread of its own
 * ({@code PostgreSQL-JDBC-SharedTimer-N}), started in the application by the first statement with a timeout and
 * kept while any connection that ran one stays open, so for good with a pool.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresServerTimeoutsTest {
    private static final String SHARED_TIMER = "PostgreSQL-JDBC-SharedTimer";
    /** Far longer than the statement timeouts below: only the server's limit can end it this early. */
    private static final int SLEEP_SECONDS = 20;
    private static final ExplainTimeouts ONE_SECOND = new ExplainTimeouts(Duration.ofSeconds(1), Duration.ofMillis(500));

    private final String sfx = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final String orders = "qls_to_orders_" + sfx;
    private final String slow = "qls_to_slow_" + sfx;
    private final String slowView = "qls_to_view_" + sfx;

    @BeforeAll
    void createObjects() throws SQLException {
        try (Connection c = TestDatabases.postgresConnection(); Statement s = c.createStatement()) {
            OrdersTable.create(s, orders, 20_000);
            OrdersTable.analyze(s, orders);
            // the planner folds an IMMUTABLE call with constant arguments: planning the view's query sleeps
            s.execute("CREATE FUNCTION " + slow + "(x int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS $$"
                    + " BEGIN PERFORM pg_sleep(" + SLEEP_SECONDS + "); RETURN x; END $$");
            s.execute("CREATE VIEW " + slowView + " AS SELECT id, status FROM " + orders + " WHERE id = " + slow + "(1)");
        }
    }

    @AfterAll
    void dropObjects() throws SQLException {
        try (Connection c = TestDatabases.postgresConnection(); Statement s = c.createStatement()) {
            s.execute("DROP VIEW IF EXISTS " + slowView);
            s.execute("DROP FUNCTION IF EXISTS " + slow + "(int)");
            s.execute("DROP TABLE IF EXISTS " + orders);
        }
    }

    /**
     * pgjdbc shares one timer across the JVM and counts the connections holding it: the sampler's samples, on
     * connections that stay open in their pool, must neither start it nor add to its count. (Compared as "not more",
     * since a connection another test leaked may give its reference back meanwhile.)
     */
    @Test
    void samplingStartsNoTimerThreadInTheDriver() throws SQLException {
        String sql = "SELECT id FROM " + orders + " WHERE status = ?";
        try (HikariDataSource pool = TestDatabases.postgres(2);
             Connection raw = TestDatabases.postgresConnection();
             Sampling sampling = new Sampling(Map.of("querylens.seqscan.min-rows", "1000",
                     "querylens.explain.interval", "0s"))) {
            int refsBefore = org.postgresql.Driver.getSharedTimer().getRefCount();
            Set<String> threadsBefore = sharedTimerThreads();
            Connection app = sampling.lens.wrapConnection(raw, "main", pool);
            for (int i = 1; i <= 3; i++) {
                try (UnitOfWork work = sampling.lens.begin("GET /orders")) {
                    OrderQueries.countRows(app, sql, "NEW");
                }
                sampling.awaitTotal(i);
            }
            assertEquals(3.0, sampling.outcome("seqscan"), () -> sampling.outcomes().toString());
            int refsAfter = org.postgresql.Driver.getSharedTimer().getRefCount();
            assertTrue(refsAfter <= refsBefore, "connections holding pgjdbc's shared timer: " + refsBefore
                    + " before sampling, " + refsAfter + " after");
            Set<String> started = sharedTimerThreads();
            started.removeAll(threadsBefore);
            assertEquals(Set.of(), started, "timer threads started in the driver by sampling");
        }
    }

    /** The EXPLAIN of a statement whose planning takes 20 s ends after the statement timeout, on the server. */
    @Test
    void aSlowPlanIsEndedByTheServersStatementTimeout() throws SQLException {
        try (Connection c = TestDatabases.postgresConnection()) {
            String timeoutBefore = show(c, "statement_timeout");
            SQLException e = assertThrows(SQLException.class, () -> ExplainJdbc.explain(c, Dialect.POSTGRESQL,
                    "SELECT id FROM " + slowView + " WHERE status = 'NEW'", List.of(), ONE_SECOND));
            assertEquals("57014", e.getSQLState(), e.getMessage()); // query_canceled
            assertTrue(TimeoutClassifier.isTimeout(Dialect.POSTGRESQL, e));
            assertTrue(c.getAutoCommit());
            assertEquals(timeoutBefore, show(c, "statement_timeout"), "SET LOCAL ended with the transaction");
        }
    }

    /** The sampler's own reads (catalog checks, table sizes) carry no JDBC query timeout and end on the server too. */
    @Test
    void theSamplersOwnStatementsAreEndedByTheServerWithoutAJdbcTimeout() throws SQLException {
        try (Connection c = TestDatabases.postgresConnection();
             ExplainSession session = ExplainSession.open(c, Dialect.POSTGRESQL, ONE_SECOND);
             PreparedStatement ps = session.prepare("SELECT pg_sleep(" + SLEEP_SECONDS + ")")) {
            assertEquals(0, ps.getQueryTimeout());
            SQLException e = assertThrows(SQLException.class, () -> ExplainSession.results(ps));
            assertEquals("57014", e.getSQLState(), e.getMessage());
        }
    }

    private static Set<String> sharedTimerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(SHARED_TIMER)).collect(Collectors.toSet());
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
