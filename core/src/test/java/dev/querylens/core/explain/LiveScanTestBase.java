package dev.querylens.core.explain;

import dev.querylens.core.testing.OrdersTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole path against a real database: EXPLAIN through {@link ExplainJdbc} with the dialect's timeouts, the
 * table size from {@link ExplainJdbc#tableRows}, parse, judge. A database that cannot be reached fails the test:
 * a build without its databases must not pass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LiveScanTestBase {
    static final int BIG_ROWS = 50_000;
    static final int SMALL_ROWS = 50;

    private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    final String big = "ql_big_" + suffix;
    final String small = "ql_small_" + suffix;
    private final ScanJudge judge = new ScanJudge();
    Connection connection;

    abstract Dialect dialect();

    /** Opens a connection, failing with a message that says which database the tests need. */
    abstract Connection connect() throws SQLException;

    void createTable(Statement s, String table, int rows) throws SQLException {
        OrdersTable.create(s, table, rows);
    }

    void analyze(Statement s, String table) throws SQLException {
        OrdersTable.analyze(s, table);
    }

    @BeforeAll
    void createTables() throws SQLException {
        connection = connect();
        assertEquals(dialect(), Dialect.detect(connection.getMetaData()));
        try (Statement s = connection.createStatement()) {
            createTable(s, big, BIG_ROWS);
            createTable(s, small, SMALL_ROWS);
            analyze(s, big);
            analyze(s, small);
        }
    }

    @AfterAll
    void dropTables() throws SQLException {
        if (connection == null) {
            return;
        }
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + big);
            s.execute("DROP TABLE IF EXISTS " + small);
        } finally {
            connection.close();
        }
    }

    List<SeqScanFinding> findings(String sql, Object... binds) throws Exception {
        String raw = ExplainJdbc.explain(connection, dialect(), sql, List.of(binds), ExplainTimeouts.DEFAULT);
        ExplainPlan plan = PlanParser.parse(dialect(), raw, sql);
        return judge.judge(plan, (schema, table) -> {
            try {
                return ExplainJdbc.tableRows(connection, dialect(), ExplainTimeouts.DEFAULT, schema, table);
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void filterOnAnUnindexedColumnOfABigTableIsReportedWithItsIndex() throws Exception {
        List<SeqScanFinding> found = findings("SELECT * FROM " + big + " WHERE status = 'NEW'");
        assertEquals(1, found.size(), found.toString());
        SeqScanFinding f = found.get(0);
        assertTrue(f.table().equalsIgnoreCase(big), f.table());
        assertTrue(f.tableRows() >= BIG_ROWS / 2, "table rows " + f.tableRows());
        assertEquals(List.of("status"), lower(f.suggestion().columns()));
        assertTrue(f.suggestion().sql().toLowerCase(Locale.ROOT).startsWith("create index "),
                f.suggestion().sql());
        assertTrue(f.suggestion().sql().endsWith(" ON " + big + " (status)"), f.suggestion().sql());
    }

    @Test
    void bindValuesAreExplainedToo() throws Exception {
        List<SeqScanFinding> found = findings("SELECT id FROM " + big + " WHERE status = ? AND total > ?", "NEW", 5);
        assertEquals(1, found.size(), found.toString());
        assertEquals(List.of("status", "total"), lower(found.get(0).suggestion().columns()));
    }

    @Test
    void anIndexOnTheColumnEndsTheReport() throws Exception {
        String index = "ql_idx_" + suffix;
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE INDEX " + index + " ON " + big + " (status)");
            analyze(s, big);
            assertEquals(List.of(), findings("SELECT * FROM " + big + " WHERE status = 'NEW'"));
        } finally {
            try (Statement s = connection.createStatement()) {
                s.execute(dropIndex(index, big));
            }
        }
    }

    String dropIndex(String index, String table) {
        return "DROP INDEX " + index;
    }

    @Test
    void theSameFilterOnASmallTableIsNotReported() throws Exception {
        assertEquals(List.of(), findings("SELECT * FROM " + small + " WHERE status = 'NEW'"));
    }

    @Test
    void aPrimaryKeyLookupIsNotReported() throws Exception {
        assertEquals(List.of(), findings("SELECT * FROM " + big + " WHERE id = 42"));
    }

    @Test
    void aLimitThatStopsEarlyIsNotReportedButOneAfterASortIs() throws Exception {
        assertEquals(List.of(), findings("SELECT * FROM " + big + " WHERE status = 'NEW' LIMIT 5"));
        assertEquals(1, findings("SELECT * FROM " + big + " WHERE status = 'NEW' ORDER BY total LIMIT 5").size());
    }

    private static List<String> lower(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    }
}
