package dev.querylens.core.explain;

import com.example.shop.OrderQueries;
import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.UnitOfWork;
import dev.querylens.core.testing.OrdersTable;
import dev.querylens.core.testing.Sampling;
import dev.querylens.core.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MariaDB through MySQL Connector/J: the sampler's statements start with {@code SET STATEMENT ... FOR}, which
 * Connector/J refuses to {@code executeQuery()}; and they carry no JDBC query timeout, for which Connector/J would
 * start a timer thread per connection. Needs this machine's MariaDB (see TestDatabases); the URL is
 * {@code QUERYLENS_TEST_MARIADB_URL} with Connector/J's scheme.
 */
class MysqlConnectorJExplainTest {
    /** {@link TestDatabases#MARIADB_URL} (same host, database and user) for MySQL Connector/J. */
    static final String URL = TestDatabases.MARIADB_URL.replaceFirst("^jdbc:mariadb:", "jdbc:mysql:");

    @Test
    void aStatementIsSampledWithAPlan() throws Exception {
        assertTrue(URL.startsWith("jdbc:mysql:"), URL);
        String table = "ql_cj_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String sql = "SELECT count(*) FROM " + table + " WHERE status = 'NEW'";
        try (HikariDataSource pool = TestDatabases.pool(URL, 2);
             Connection raw = DriverManager.getConnection(URL);
             Sampling sampling = new Sampling(Map.of())) {
            assertTrue(raw.getClass().getName().startsWith("com.mysql.cj."), raw.getClass().getName());
            assertEquals(Dialect.MARIADB, Dialect.detect(raw.getMetaData()));
            long timersBefore = cancelTimerThreads();
            try (Statement s = raw.createStatement()) {
                OrdersTable.create(s, table, 50);
                OrdersTable.analyze(s, table);
            }
            try {
                String plan = ExplainJdbc.explain(raw, Dialect.MARIADB, sql, List.of(), ExplainTimeouts.DEFAULT);
                assertEquals(table, PlanParser.parse(Dialect.MARIADB, plan, sql).scans().get(0).table());
                assertTrue(ExplainJdbc.tableRows(raw, Dialect.MARIADB, ExplainTimeouts.DEFAULT, null, table) > 0);

                Connection app = sampling.lens.wrapConnection(raw, "main", pool);
                try (UnitOfWork work = sampling.lens.begin("GET /owners")) {
                    OrderQueries.countRows(app, sql);
                }
                sampling.awaitTotal(1);
                assertEquals(Map.of("ok", 1.0), nonZero(sampling.outcomes()));
                // "not more": a connection another test closed may still be ending its timer
                long timersAfter = cancelTimerThreads();
                assertTrue(timersAfter <= timersBefore, "Connector/J cancellation timers: " + timersBefore
                        + " before the sampler's statements, " + timersAfter + " after");
            } finally {
                try (Statement s = raw.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                }
            }
        }
    }

    private static long cancelTimerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("MySQL Statement Cancellation Timer")).count();
    }

    private static Map<String, Double> nonZero(Map<String, Double> outcomes) {
        outcomes.values().removeIf(v -> v == 0);
        return outcomes;
    }
}
