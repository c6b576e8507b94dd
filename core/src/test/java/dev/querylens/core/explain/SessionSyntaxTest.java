package dev.querylens.core.explain;

import dev.querylens.core.sql.SqlSyntax;
import dev.querylens.core.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sampler reads how the session of its own connection reads text, on the real databases. */
class SessionSyntaxTest {

    // a backslash before the quote: a whole string without backslash escapes, an open one with them
    private static final String BACKSLASH_AT_END = "SELECT 'x\\' AS a";

    @Test
    void mariadbSqlModeDecidesHowTheStatementIsRead() throws Exception {
        try (Connection c = TestDatabases.mariadbConnection(); Statement s = c.createStatement()) {
            SqlSyntax plain = ExplainJdbc.sessionSyntax(c, Dialect.MARIADB);
            assertTrue(plain.backslashEscapes(), plain.toString());
            assertFalse(plain.ansiQuotes(), plain.toString());
            assertThrows(IllegalArgumentException.class, () -> ExplainJdbc.explain(c, Dialect.MARIADB,
                    BACKSLASH_AT_END, List.of(), ExplainTimeouts.DEFAULT), "an open string is never explained");

            s.execute("SET SESSION sql_mode = 'ANSI_QUOTES,NO_BACKSLASH_ESCAPES'");
            SqlSyntax ansi = ExplainJdbc.sessionSyntax(c, Dialect.MARIADB);
            assertEquals(new SqlSyntax(SqlSyntax.Family.MYSQL, true, false), ansi);
            String plan = ExplainJdbc.explain(c, Dialect.MARIADB, BACKSLASH_AT_END, List.of(), ExplainTimeouts.DEFAULT);
            assertTrue(plan.contains("query_block"), plan);
        }
    }

    @Test
    void postgresqlStandardConformingStringsDecideHowTheStatementIsRead() throws Exception {
        try (Connection c = TestDatabases.postgresConnection(); Statement s = c.createStatement()) {
            assertEquals(SqlSyntax.POSTGRESQL, ExplainJdbc.sessionSyntax(c, Dialect.POSTGRESQL));
            String plan = ExplainJdbc.explain(c, Dialect.POSTGRESQL, BACKSLASH_AT_END, List.of(), ExplainTimeouts.DEFAULT);
            assertTrue(plan.contains("Plan"), plan);

            s.execute("SET standard_conforming_strings = off");
            assertEquals(SqlSyntax.postgresql(false), ExplainJdbc.sessionSyntax(c, Dialect.POSTGRESQL));
            assertThrows(IllegalArgumentException.class, () -> ExplainJdbc.explain(c, Dialect.POSTGRESQL,
                    BACKSLASH_AT_END, List.of(), ExplainTimeouts.DEFAULT), "an open string is never explained");
        }
    }
}
