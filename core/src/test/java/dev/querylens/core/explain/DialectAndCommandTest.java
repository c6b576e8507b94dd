package dev.querylens.core.explain;

import dev.querylens.core.sql.SqlSyntax;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dialect detection, EXPLAIN commands with their timeouts, and what may be explained. */
class DialectAndCommandTest {
    private static final ExplainTimeouts TIMEOUTS = new ExplainTimeouts(Duration.ofMillis(1500), Duration.ofMillis(250));

    @Test
    void detectsFromProductNameAndVersion() {
        assertEquals(Dialect.POSTGRESQL, Dialect.detect("PostgreSQL", "15.20 (Debian 15.20-0+deb12u1)"));
        assertEquals(Dialect.MARIADB, Dialect.detect("MariaDB", "10.11.19-MariaDB-0+deb12u1"));
        // MariaDB behind MySQL Connector/J: the name says MySQL, the version tells the truth.
        assertEquals(Dialect.MARIADB, Dialect.detect("MySQL", "5.5.5-10.11.6-MariaDB"));
        assertEquals(Dialect.MYSQL, Dialect.detect("MySQL", "8.4.3"));
        assertEquals(Dialect.H2, Dialect.detect("H2", "2.3.232 (2024-08-11)"));
    }

    @Test
    void oldOrUnknownDatabasesAreUnsupported() {
        assertEquals(Dialect.UNSUPPORTED, Dialect.detect("PostgreSQL", "8.4.1"));
        assertEquals(Dialect.UNSUPPORTED, Dialect.detect("MySQL", "5.5.62"));
        assertEquals(Dialect.UNSUPPORTED, Dialect.detect("MariaDB", "10.0.38-MariaDB"));
        assertEquals(Dialect.UNSUPPORTED, Dialect.detect("H2", "1.4.200 (2019-10-14)"));
        assertEquals(Dialect.UNSUPPORTED, Dialect.detect("Oracle", "19c"));
        assertEquals(Dialect.UNSUPPORTED, Dialect.detect(null, null));
        assertFalse(Dialect.UNSUPPORTED.supported());
        assertThrows(IllegalStateException.class, Dialect.UNSUPPORTED::explainPrefix);
    }

    @Test
    void explainPrefixesNeverAnalyze() {
        assertEquals("EXPLAIN (FORMAT JSON) ", Dialect.POSTGRESQL.explainPrefix());
        assertEquals("EXPLAIN FORMAT=JSON ", Dialect.MYSQL.explainPrefix());
        assertEquals("EXPLAIN FORMAT=JSON ", Dialect.MARIADB.explainPrefix());
        assertEquals("EXPLAIN ", Dialect.H2.explainPrefix());
        for (Dialect d : List.of(Dialect.POSTGRESQL, Dialect.MYSQL, Dialect.MARIADB, Dialect.H2)) {
            assertFalse(d.explainPrefix().contains("ANALYZE"), d.name());
            assertTrue(d.tableRowsSql().startsWith("SELECT "), d.name());
        }
    }

    @Test
    void postgresRunsInAReadOnlyTransactionWithLocalTimeouts() {
        ExplainCommand c = ExplainCommand.of(Dialect.POSTGRESQL, "SELECT * FROM t WHERE a = ?", TIMEOUTS);
        assertEquals(List.of("SET TRANSACTION READ ONLY", "SET LOCAL lock_timeout = '250ms'",
                "SET LOCAL statement_timeout = '1500ms'"), c.setup());
        assertEquals("EXPLAIN (FORMAT JSON) SELECT * FROM t WHERE a = ?", c.explainSql());
        assertEquals(0, c.queryTimeoutSeconds(), "pgjdbc would start its shared timer thread in the application");
    }

    @Test
    void mariadbRunsInAReadOnlyTransactionAndScopesTheTimeoutsToEachStatement() {
        ExplainCommand c = ExplainCommand.of(Dialect.MARIADB, "SELECT 1", TIMEOUTS);
        assertEquals(List.of("START TRANSACTION READ ONLY"), c.setup());
        assertEquals("SET STATEMENT lock_wait_timeout=1, max_statement_time=1.500 FOR EXPLAIN FORMAT=JSON SELECT 1",
                c.explainSql());
        assertEquals("SET STATEMENT lock_wait_timeout=1, max_statement_time=1.500 FOR SELECT TABLE_ROWS FROM x",
                ExplainCommand.bounded(Dialect.MARIADB, TIMEOUTS, "SELECT TABLE_ROWS FROM x"));
        assertEquals(0, c.queryTimeoutSeconds(), "max_statement_time bounds every statement");
    }

    @Test
    void mysqlAndH2SetSessionSettingsThatTheSessionRestores() {
        ExplainCommand mysql = ExplainCommand.of(Dialect.MYSQL, "SELECT 1", TIMEOUTS);
        assertEquals(List.of("START TRANSACTION READ ONLY", "SET SESSION lock_wait_timeout = 1"), mysql.setup());
        assertEquals("EXPLAIN FORMAT=JSON SELECT 1", mysql.explainSql());
        assertEquals("SELECT /*+ MAX_EXECUTION_TIME(1500) */ TABLE_ROWS FROM x",
                ExplainCommand.bounded(Dialect.MYSQL, TIMEOUTS, "SELECT TABLE_ROWS FROM x"));
        assertEquals(3, mysql.queryTimeoutSeconds(), "MAX_EXECUTION_TIME does not bound an EXPLAIN");
        ExplainCommand h2 = ExplainCommand.of(Dialect.H2, "SELECT 1", TIMEOUTS);
        assertEquals(List.of("SET LOCK_TIMEOUT 250", "SET QUERY_TIMEOUT 1500"), h2.setup());
        assertEquals("EXPLAIN SELECT 1", h2.explainSql());
        assertEquals(0, h2.queryTimeoutSeconds(), "H2's JDBC query timeout would set the session's");
    }

    @Test
    void onlyBuiltInsWithoutSideEffectsMayBeCalled() {
        for (Dialect d : List.of(Dialect.POSTGRESQL, Dialect.MARIADB, Dialect.MYSQL, Dialect.H2)) {
            for (String sql : List.of(
                    "SELECT count(*), max(total) FROM t WHERE lower(name) = ? AND coalesce(a, 0) > abs(?)",
                    "SELECT CAST(a AS varchar(20)), ROUND(b, 2) FROM t WHERE EXTRACT(YEAR FROM d) = 2020",
                    "SELECT row_number() OVER (PARTITION BY a ORDER BY b) FROM t WHERE a IN (1, 2)",
                    "WITH w (a, b) AS (SELECT a, b FROM t) SELECT * FROM w",
                    "SELECT d.x FROM (SELECT upper(a) AS x FROM t) AS d (x) WHERE EXISTS (SELECT 1 FROM u)")) {
                assertNull(ExplainCommand.notExplainable(d, sql), d + ": " + sql);
            }
            for (String sql : List.of(
                    "SELECT * FROM t WHERE id = f_side(1)",
                    "SELECT a.id FROM a JOIN b ON f_side(a.id) = b.id", "SELECT SET(@v, 1)",
                    "SELECT id FROM t WHERE id = `lower`(1)",
                    "SELECT x FROM (SELECT my_func() AS x) d",
                    "SELECT * FROM t WHERE id = public.lower(1)",
                    "SELECT sleep(1)", "SELECT pg_sleep(1)", "SELECT BENCHMARK(1000, md5('a'))",
                    "SELECT GET_LOCK('a', 0)", "SELECT pg_advisory_lock(1)", "SELECT RELEASE_LOCK('a')",
                    "SELECT * FROM t WHERE id = nextval('sq')", "SELECT * FROM t WHERE id = NEXTVAL(sq)",
                    "SELECT * FROM t WHERE id = NEXT VALUE FOR sq", "SELECT sq.nextval FROM dual",
                    "SELECT setval('sq', 1)", "SELECT currval('sq')", "SELECT lastval()",
                    "SELECT PREVIOUS VALUE FOR sq", "SELECT LAST_INSERT_ID(5)", "SELECT LOAD_FILE('/etc/passwd')",
                    "SELECT FILE_WRITE('x', '/tmp/x')", "SELECT set_config('a.b', 'c', false)")) {
                assertTrue(ExplainCommand.notExplainable(d, sql) != null, d + ": " + sql);
            }
        }
        assertTrue(ExplainCommand.notExplainable(Dialect.MARIADB, "SELECT @a := 1").contains(":="));
        assertTrue(ExplainCommand.notExplainable(Dialect.POSTGRESQL, "SELECT \"lower\"(a) FROM t").contains("quoted"));
        assertTrue(ExplainCommand.notExplainable(Dialect.POSTGRESQL, "SELECT * FROM t WHERE id = f_det(1)")
                .contains("f_det"));
        assertNull(ExplainCommand.notExplainable(Dialect.POSTGRESQL, "SELECT a::numeric(10, 2), jsonb_build_object('a', b) FROM t"));
        assertNull(ExplainCommand.notExplainable(Dialect.MARIADB, "SELECT IF(a > 0, 1, 2), GROUP_CONCAT(b) FROM t"));
        assertTrue(ExplainCommand.notExplainable(Dialect.POSTGRESQL, "SELECT IF(a > 0, 1, 2) FROM t") != null,
                "the lists are per dialect");
    }

    @Test
    void onlyASingleSelectIsExplained() {
        Dialect pg = Dialect.POSTGRESQL;
        assertNull(ExplainCommand.notExplainable(pg, "SELECT * FROM t"));
        assertNull(ExplainCommand.notExplainable(pg, "select * from t;"));
        assertNull(ExplainCommand.notExplainable(pg, "WITH x AS (SELECT 1) SELECT * FROM x"));
        assertTrue(ExplainCommand.notExplainable(pg, "SELECT 1; DELETE FROM t").contains("a ; other than"));
        assertEquals("not a SELECT statement", ExplainCommand.notExplainable(pg, "UPDATE t SET a = 1"));
        assertEquals("not a SELECT statement", ExplainCommand.notExplainable(pg, "EXPLAIN ANALYZE SELECT 1"));
        assertTrue(ExplainCommand.notExplainable(pg, "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d")
                .contains("changes data"));
        assertTrue(ExplainCommand.notExplainable(pg, "SELECT * INTO t2 FROM t").contains("INTO"));
        assertTrue(ExplainCommand.notExplainable(pg, "SELECT 'open").contains("unterminated"));
        assertEquals("empty statement", ExplainCommand.notExplainable(pg, "  -- nothing"));
        // MySQL strings take backslash escapes: the quote below does not end the string
        assertNull(ExplainCommand.notExplainable(Dialect.MARIADB, SqlSyntax.MYSQL, "SELECT * FROM t WHERE a = 'x\\\\' OR b = 'y'"));
        assertThrows(IllegalArgumentException.class,
                () -> ExplainCommand.of(pg, "SELECT 1; DROP TABLE t", ExplainTimeouts.DEFAULT));
        assertThrows(IllegalArgumentException.class,
                () -> new ExplainTimeouts(Duration.ZERO, Duration.ofSeconds(1)));
    }

    @Test
    void aSemicolonAnywhereButAtTheEndIsNeverExplained() {
        for (Dialect dialect : List.of(Dialect.POSTGRESQL, Dialect.MARIADB, Dialect.MYSQL, Dialect.H2)) {
            for (String sql : List.of("SELECT replace(name, 'a', 'b') FROM t WHERE s = ';'",
                    "SELECT 1 -- ;x", "SELECT 1 /* ; */", "SELECT 1;;", "SELECT 1;\n-- done",
                    "SELECT \"a;b\" FROM t", "SELECT $$;$$")) {
                String reason = ExplainCommand.notExplainable(dialect, sql);
                assertTrue(reason != null && reason.startsWith("a ; other than"), dialect + ": " + sql + " -> " + reason);
            }
            assertNull(ExplainCommand.notExplainable(dialect, "SELECT 1; \r\n"), dialect.toString());
        }
        ExplainCommand command = ExplainCommand.of(Dialect.POSTGRESQL, "SELECT 1 ;\n", ExplainTimeouts.DEFAULT);
        assertEquals("EXPLAIN (FORMAT JSON) SELECT 1 ", command.explainSql(), "the terminator is left out");
    }

    @Test
    void theSessionsSyntaxDecidesAndUnknownSettingsMustAgree() {
        String escaped = "SELECT * FROM t WHERE a = 'it\\'s'";
        assertNull(ExplainCommand.notExplainable(Dialect.MARIADB, SqlSyntax.mysql("STRICT_TRANS_TABLES"), escaped));
        assertTrue(ExplainCommand.notExplainable(Dialect.MARIADB, SqlSyntax.mysql("NO_BACKSLASH_ESCAPES"), escaped)
                .contains("unterminated"));
        assertTrue(ExplainCommand.notExplainable(Dialect.MARIADB, escaped).contains("reads differently"),
                "with sql_mode unknown, readings that differ are refused");
        assertNull(ExplainCommand.notExplainable(Dialect.MARIADB, "SELECT \"x\" FROM t"), "both readings agree");
        assertNull(ExplainCommand.notExplainable(Dialect.POSTGRESQL, "SELECT E'it\\'s' FROM t"));
        String backslash = "SELECT 'C:\\' FROM t WHERE b = 'x'";
        assertNull(ExplainCommand.notExplainable(Dialect.POSTGRESQL, SqlSyntax.POSTGRESQL, backslash));
        assertTrue(ExplainCommand.notExplainable(Dialect.POSTGRESQL, backslash).contains("reads differently"));
        // a syntax of another family is not taken for the session's
        assertTrue(ExplainCommand.notExplainable(Dialect.MARIADB, SqlSyntax.POSTGRESQL, escaped).contains("reads differently"));
    }
}
