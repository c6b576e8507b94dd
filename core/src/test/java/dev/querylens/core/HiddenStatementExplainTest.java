package dev.querylens.core;

import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.testing.Sampling;
import dev.querylens.core.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Text that a driver sends whole (MariaDB with {@code allowMultiQueries=true}, PostgreSQL's pgjdbc, which splits
 * and runs every statement it finds) and that hides a second statement from a lexer reading it the wrong way. The
 * application runs each text once, on the real database; the sampler must never run it a second time.
 */
class HiddenStatementExplainTest {

    private final String table = "qls_hidden_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    @Test
    void mariadbWithMultiQueriesRunsNoHiddenStatement() throws Exception {
        String url = TestDatabases.MARIADB_URL + (TestDatabases.MARIADB_URL.contains("?") ? "&" : "?")
                + "allowMultiQueries=true";
        runsOnlyOnce(TestDatabases.pool(url, 3), List.of(
                // MySQL reads "--" as a comment only before a space: this is 1 - -1, then an INSERT
                "SELECT 1 --1; INSERT INTO " + table + " VALUES (1)",
                // a double-quoted string with a backslash escape, then an INSERT, then a comment
                "SELECT \"\\\"\" ; INSERT INTO " + table + " VALUES (3) ; SELECT 1 -- \"",
                // a # comment that a PostgreSQL reading would not see
                "SELECT '#' # '\n; INSERT INTO " + table + " VALUES (4)"));
    }

    @Test
    void postgresqlRunsNoHiddenStatement() throws Exception {
        runsOnlyOnce(TestDatabases.pool(TestDatabases.POSTGRES_URL, 3), List.of(
                // a dollar-quoted string whose tag is a non-ASCII letter hides the "--" from PostgreSQL
                "SELECT $ä$ -- $ä$; COMMIT; INSERT INTO " + table + " VALUES (1); COMMIT",
                "SELECT 2, $€1$ /* $€1$; COMMIT; INSERT INTO " + table + " VALUES (2); COMMIT"));
    }

    private void runsOnlyOnce(HikariDataSource pool, List<String> texts) throws Exception {
        try (pool; Connection admin = pool.getConnection(); Statement s = admin.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT)");
            try {
                // a first borrow opens the borrowing thread: give it time, so that every text is sampled
                try (Sampling sampling = new Sampling(Map.of("querylens.explain.connection-timeout", "10s"))) {
                    javax.sql.DataSource ds = sampling.lens.wrap(pool, "main");
                    int ran = 0;
                    for (String text : texts) {
                        try (Connection c = ds.getConnection(); Statement app = c.createStatement()) {
                            app.execute(text);
                            ran++;
                        }
                        int expected = ran;
                        sampling.awaitTotal(ran);
                        assertEquals(expected, rows(s), () -> "the sampler ran a hidden statement of: " + text
                                + "; outcomes " + sampling.outcomes());
                    }
                }
            } finally {
                s.execute("DROP TABLE " + table);
            }
        }
    }

    private int rows(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
