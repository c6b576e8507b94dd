package dev.querylens.core.explain;

import com.example.shop.OrderQueries;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.FindingsJson;
import dev.querylens.core.UnitOfWork;
import dev.querylens.core.testing.OrdersTable;
import dev.querylens.core.testing.Sampling;
import dev.querylens.core.testing.TestDatabases;
import io.micrometer.core.instrument.Meter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On MariaDB the sampler leaves the session of the connection it borrowed as it found it (timeouts, transaction
 * state), and what it logs or reports of a failed EXPLAIN holds the SQLState and vendor code, never the driver's
 * message: MariaDB Connector/J can quote the statement there with the bind values written in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariadbSessionAndMessagesTest {
    private final String sfx = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final String orders = "qls_ss_orders_" + sfx;
    private HikariDataSource pool;
    private Sampling sampling;

    @BeforeAll
    void createTable() throws SQLException {
        pool = TestDatabases.mariadb(1);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            OrdersTable.create(s, orders, 20_000);
            OrdersTable.analyze(s, orders);
        }
    }

    @AfterAll
    void dropTable() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + orders);
        } finally {
            pool.close();
        }
    }

    @AfterEach
    void closeLens() {
        if (sampling != null) {
            sampling.close();
        }
    }

    @Test
    void theApplicationsNextConnectionHasItsOwnSessionState() throws SQLException {
        List<Object> before = session(pool);
        sampling = new Sampling(Map.of());
        DataSource app = sampling.lens.wrap(pool, "main");
        try (UnitOfWork work = sampling.lens.begin("GET /orders/new"); Connection c = app.getConnection()) {
            OrderQueries.countRows(c, "SELECT id FROM " + orders + " WHERE status = ?", "NEW");
        }
        sampling.awaitTotal(1);
        assertEquals(1.0, sampling.outcome("seqscan"), () -> sampling.outcomes().toString());
        assertEquals(before, session(pool));
    }

    /** MySQL has no statement-scoped lock timeout for EXPLAIN: its commands run against this MariaDB. */
    @Test
    void theMysqlCommandsLeaveTheSessionAsTheyFoundIt() throws SQLException {
        try (Connection c = TestDatabases.mariadbConnection()) {
            List<Object> before = session(c);
            String plan = ExplainJdbc.explain(c, Dialect.MYSQL, "SELECT id FROM " + orders + " WHERE status = ?",
                    List.of("NEW"), new ExplainTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300)));
            assertFalse(plan.isEmpty());
            assertEquals(before, session(c));
        }
    }

    /**
     * The application's session, in {@code IGNORE_SPACE} mode, reads {@code COUNT (*)} as a call; the pool's
     * sessions here are not, and fail with a syntax error whose message quotes the rest of the statement, the bind
     * value that Connector/J wrote into it included.
     */
    @Test
    void aFailedExplainLogsNoDriverMessage() throws Exception {
        String marker = "QLMARK" + sfx;
        String sql = "SELECT COUNT (*) FROM " + orders + " WHERE status = ?";
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabases.MARIADB_URL);
        config.setMaximumPoolSize(1);
        config.setConnectionInitSql("SET SESSION sql_mode = REPLACE(@@sql_mode, 'IGNORE_SPACE', '')");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        try (HikariDataSource noIgnoreSpace = new HikariDataSource(config); Connection raw = TestDatabases.mariadbConnection()) {
            try (Connection c = noIgnoreSpace.getConnection()) {
                SQLException e = assertThrows(SQLException.class, () -> OrderQueries.countRows(c, sql, marker));
                assertTrue(e.getMessage().contains(marker), "the driver's message quotes the bind value: " + e);
            }
            try (Statement s = raw.createStatement()) {
                s.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',IGNORE_SPACE')");
            }
            sampling = new Sampling(Map.of());
            Connection app = sampling.lens.wrapConnection(raw, "strict-spaces", noIgnoreSpace);
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try (UnitOfWork work = sampling.lens.begin("GET /count")) {
                assertEquals(1, OrderQueries.countRows(app, sql, marker));
            }
            sampling.awaitTotal(1);
        } finally {
            System.setErr(original);
        }
        // MariaDB Connector/J logs every error packet itself, under its own logger: not Querylens's to change
        StringBuilder ours = new StringBuilder();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.contains(" org.mariadb.jdbc.message.server.ErrorPacket - ")) {
                ours.append(line).append('\n');
            }
        }
        String log = ours.toString();
        assertEquals(1.0, sampling.outcome("error"), () -> sampling.outcomes() + "\n" + log);
        assertFalse(log.contains(marker), "a bind value in the log:\n" + log);
        assertFalse(log.contains("SQL syntax"), "a driver message in the log:\n" + log);
        assertTrue(log.contains("42000") && log.contains("1064"), "SQLState and vendor code are logged:\n" + log);
        String json = FindingsJson.toJson(sampling.lens.findings().findings());
        assertFalse(json.contains(marker), json);
        for (Meter m : sampling.registry.getMeters()) {
            assertFalse(m.getId().toString().contains(marker), m.getId().toString());
        }
    }

    /** The session state an EXPLAIN could leave behind on MariaDB or MySQL. */
    private static List<Object> session(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return session(c);
        }
    }

    private static List<Object> session(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@SESSION.lock_wait_timeout,"
                + " @@SESSION.max_statement_time, @@SESSION.tx_read_only, @@SESSION.autocommit, @@in_transaction,"
                + " @@SESSION.sql_mode")) {
            rs.next();
            return List.of(rs.getLong(1), rs.getDouble(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                    rs.getString(6), c.getAutoCommit(), c.isReadOnly());
        }
    }
}
