package dev.querylens.core;

import dev.querylens.core.detect.FindingKind;

import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.testing.TestDatabases;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The N+1 and duplicate rules, positive and negative, through real JDBC on H2 behind HikariCP. */
class DetectionRulesTest {
    private HikariDataSource pool;
    private SimpleMeterRegistry registry;
    private QueryLens lens;
    private DataSource ds;

    @BeforeEach
    void setUp() throws SQLException {
        pool = TestDatabases.h2();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table author (id int primary key, name varchar(50))");
            s.execute("create table book (id int primary key, author_id int, title varchar(50))");
            s.execute("create table review (id int primary key, book_id int, stars int)");
            for (int i = 1; i <= 30; i++) {
                s.execute("insert into author values (" + i + ", 'author " + i + "')");
                s.execute("insert into book values (" + i + ", " + i + ", 'book " + i + "')");
                s.execute("insert into review values (" + i + ", " + i + ", " + (i % 5) + ")");
            }
        }
        useLens(Map.of());
    }

    private void useLens(Map<String, String> config) {
        registry = new SimpleMeterRegistry();
        lens = QueryLens.builder().meterRegistry(registry).config(config).build();
        ds = lens.wrap(pool, "h2");
    }

    @AfterEach
    void tearDown() {
        pool.close();
    }

    private int selectAuthor(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select name from author where id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? 1 : 0;
            }
        }
    }

    private void run(String endpoint, SqlWork work) throws SQLException {
        try (UnitOfWork unit = lens.begin(endpoint); Connection c = ds.getConnection()) {
            work.run(c);
        }
    }

    interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    private List<FindingSummary> findings() {
        return lens.findings().findings();
    }

    private double statements(String endpoint, String operation) {
        Counter c = registry.find(QueryLensMeters.STATEMENTS).tag("endpoint", endpoint).tag("operation", operation).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void fourDifferentValuesAreBelowTheThreshold() throws SQLException {
        run("GET /a", c -> {
            for (int i = 1; i <= 4; i++) {
                selectAuthor(c, i);
            }
        });
        assertEquals(List.of(), findings());
        assertEquals(4, statements("GET /a", "select"));
    }

    @Test
    void fiveDifferentValuesAreOneNPlusOne() throws SQLException {
        run("GET /a", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select id from book order by id")) {
                int n = 0;
                while (rs.next() && n++ < 5) {
                    selectAuthor(c, rs.getInt(1));
                }
            }
        });
        List<FindingSummary> f = findings();
        assertEquals(1, f.size(), f::toString);
        assertEquals(FindingKind.N_PLUS_ONE, f.get(0).kind());
        assertEquals("author", f.get(0).table());
        assertEquals(5, f.get(0).maxCount());
        assertEquals("select id from book order by id", f.get(0).parentQuery());
        assertTrue(f.get(0).sql().contains("where id = ?"), f.get(0).sql());
        assertEquals(1.0, registry.get(QueryLensMeters.NPLUSONE).tag("endpoint", "GET /a").tag("table", "author").counter().count());
    }

    @Test
    void theThresholdIsConfigurable() throws SQLException {
        useLens(Map.of(QueryLensConfig.NPLUSONE_THRESHOLD.key(), "3"));
        run("GET /a", c -> {
            for (int i = 1; i <= 3; i++) {
                selectAuthor(c, i);
            }
        });
        assertEquals(1, findings().size());
    }

    @Test
    void theSameValuesAreADuplicateNotAnNPlusOne() throws SQLException {
        run("GET /a", c -> {
            for (int i = 0; i < 6; i++) {
                selectAuthor(c, 7);
            }
        });
        List<FindingSummary> f = findings();
        assertEquals(1, f.size(), f::toString);
        assertEquals(FindingKind.DUPLICATE, f.get(0).kind());
        assertEquals(6, f.get(0).maxCount());
        assertEquals(1.0, registry.get(QueryLensMeters.DUPLICATES).tag("endpoint", "GET /a").tag("table", "author").counter().count());
        assertTrue(registry.find(QueryLensMeters.NPLUSONE).counters().isEmpty());
    }

    @Test
    void twoRunsWithTheSameValuesAreNotYetADuplicate() throws SQLException {
        run("GET /a", c -> {
            selectAuthor(c, 7);
            selectAuthor(c, 7);
        });
        assertEquals(List.of(), findings());
    }

    @Test
    void literalsInTheSqlTextCountAsValues() throws SQLException {
        run("GET /a", c -> {
            try (Statement s = c.createStatement()) {
                for (int i = 1; i <= 6; i++) {
                    s.executeQuery("select name from author where id = " + i).close();
                }
                for (int i = 0; i < 3; i++) {
                    s.executeQuery("select title from book where title = 'book 1'").close();
                }
            }
        });
        List<FindingSummary> f = findings();
        assertEquals(2, f.size(), f::toString);
        assertEquals(FindingKind.N_PLUS_ONE, f.get(0).kind());
        assertEquals("author", f.get(0).table());
        assertEquals(FindingKind.DUPLICATE, f.get(1).kind());
        assertEquals("book", f.get(1).table());
    }

    @Test
    void aJdbcBatchCountsOnceAndIsNoFinding() throws SQLException {
        run("POST /reviews", c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into review (id, book_id, stars) values (?, ?, ?)")) {
                for (int i = 100; i < 120; i++) {
                    ps.setInt(1, i);
                    ps.setInt(2, 1);
                    ps.setInt(3, 5);
                    ps.addBatch();
                }
                assertEquals(20, ps.executeBatch().length);
            }
        });
        assertEquals(List.of(), findings());
        assertEquals(1, statements("POST /reviews", "insert"));
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from review where id >= 100")) {
            rs.next();
            assertEquals(20, rs.getInt(1), "every row of the batch was written once");
        }
    }

    @Test
    void inListBatchFetchesAreNotNPlusOne() throws SQLException {
        run("GET /a", c -> {
            for (int i = 1; i <= 25; i += 2) {
                try (PreparedStatement ps = c.prepareStatement("select name from author where id in (?, ?)")) {
                    ps.setInt(1, i);
                    ps.setInt(2, i + 1);
                    ps.executeQuery().close();
                }
            }
        });
        assertEquals(List.of(), findings());
        assertEquals(13, statements("GET /a", "select"));
    }

    @Test
    void pagingIsNotNPlusOne() throws SQLException {
        run("GET /books", c -> {
            for (int page = 0; page < 6; page++) {
                try (PreparedStatement ps = c.prepareStatement("select title from book order by id limit ? offset ?")) {
                    ps.setInt(1, 5);
                    ps.setInt(2, page * 5);
                    ps.executeQuery().close();
                }
            }
            try (Statement s = c.createStatement()) {
                for (int page = 0; page < 6; page++) {
                    s.executeQuery("select title from book order by id offset " + page * 5 + " rows fetch first 5 rows only").close();
                }
            }
        });
        assertEquals(List.of(), findings());
        assertEquals(12, statements("GET /books", "select"));
    }

    @Test
    void loopsOverTwoTablesAreTwoFindingsWithTheSameParent() throws SQLException {
        run("GET /books", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select id, author_id from book where id <= 6")) {
                while (rs.next()) {
                    selectAuthor(c, rs.getInt(2));
                    try (PreparedStatement ps = c.prepareStatement("select stars from review where book_id = ?")) {
                        ps.setInt(1, rs.getInt(1));
                        ps.executeQuery().close();
                    }
                }
            }
        });
        List<FindingSummary> f = findings();
        assertEquals(2, f.size(), f::toString);
        assertEquals(List.of("author", "review"), f.stream().map(FindingSummary::table).sorted().toList());
        for (FindingSummary finding : f) {
            assertEquals(FindingKind.N_PLUS_ONE, finding.kind());
            assertEquals("select id, author_id from book where id <= ?", finding.parentQuery());
        }
    }

    @Test
    void aNestedUnitJoinsTheOuterOne() throws SQLException {
        try (UnitOfWork outer = lens.begin("GET /outer"); Connection c = ds.getConnection()) {
            selectAuthor(c, 1);
            try (UnitOfWork inner = lens.begin("GET /inner")) {
                inner.endpoint("GET /renamed-inner");
                for (int i = 2; i <= 6; i++) {
                    selectAuthor(c, i);
                }
            }
            assertTrue(lens.inUnitOfWork());
            selectAuthor(c, 7);
        }
        assertTrue(!lens.inUnitOfWork());
        assertEquals(7, statements("GET /outer", "select"));
        assertEquals(0, statements("GET /inner", "select"));
        assertEquals(0, statements("GET /renamed-inner", "select"));
        assertEquals(1, registry.get(QueryLensMeters.REQUEST_STATEMENTS).tag("endpoint", "GET /outer").summary().count());
        assertEquals(1, findings().size());
        assertEquals("GET /outer", findings().get(0).endpoint());
    }

    @Test
    void statementsOutsideAUnitAreCountedUnderNoneAndNotAnalysed() throws SQLException {
        try (Connection c = ds.getConnection()) {
            for (int i = 1; i <= 10; i++) {
                selectAuthor(c, i);
                selectAuthor(c, 1);
            }
        }
        assertEquals(20, statements(QueryLensMeters.NO_ENDPOINT, "select"));
        assertEquals(List.of(), findings());
        assertNull(registry.find(QueryLensMeters.REQUEST_STATEMENTS).tag("endpoint", QueryLensMeters.NO_ENDPOINT).summary());
    }

    @Test
    void writesBelowTheUnbatchedThresholdAreCountedByOperationAndNoFinding() throws SQLException {
        run("PUT /authors", c -> {
            for (int i = 0; i < 4; i++) {
                try (PreparedStatement ps = c.prepareStatement("update author set name = ? where id = ?")) {
                    ps.setString(1, "x");
                    ps.setInt(2, 1);
                    assertEquals(1, ps.executeUpdate());
                }
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("delete from review where id = 30");
            }
        });
        assertEquals(List.of(), findings());
        assertEquals(4, statements("PUT /authors", "update"));
        assertEquals(1, statements("PUT /authors", "delete"));
        assertEquals(5, registry.get(QueryLensMeters.REQUEST_STATEMENTS).tag("endpoint", "PUT /authors").summary().totalAmount());
        assertTrue(registry.get(QueryLensMeters.REQUEST_DB_TIME).tag("endpoint", "PUT /authors").timer().totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) > 0);
    }

    @Test
    void endpointTagsAreBounded() throws SQLException {
        useLens(Map.of(QueryLensConfig.ENDPOINTS_MAX.key(), "2"));
        for (String endpoint : List.of("GET /1", "GET /2", "GET /3", "GET /4")) {
            run(endpoint, c -> selectAuthor(c, 1));
        }
        assertEquals(1, statements("GET /1", "select"));
        assertEquals(1, statements("GET /2", "select"));
        assertEquals(0, statements("GET /3", "select"));
        assertEquals(2, statements(QueryLensMeters.OTHER, "select"));
    }

    @Test
    void aFindingInManyUnitsIsOneEntryCountingOccurrences() throws SQLException {
        for (int unit = 0; unit < 3; unit++) {
            run("GET /a", c -> {
                for (int i = 1; i <= 5; i++) {
                    selectAuthor(c, i);
                }
            });
        }
        List<FindingSummary> f = findings();
        assertEquals(1, f.size());
        assertEquals(3, f.get(0).occurrences());
        assertEquals(15, f.get(0).totalCount());
        assertEquals(3.0, registry.get(QueryLensMeters.NPLUSONE).tag("endpoint", "GET /a").counter().count());
    }

    @Test
    void theFindingStoreIsBounded() throws SQLException {
        useLens(Map.of(QueryLensConfig.FINDINGS_MAX.key(), "2"));
        for (String endpoint : List.of("GET /1", "GET /2", "GET /3", "GET /4")) {
            run(endpoint, c -> {
                for (int i = 0; i < 3; i++) {
                    selectAuthor(c, 1);
                }
            });
        }
        assertEquals(2, lens.findings().size());
        assertTrue(findings().stream().anyMatch(f -> f.endpoint().equals("GET /4")), "the newest finding is kept");
    }

    @Test
    void disabledInstallsNothing() throws SQLException {
        useLens(Map.of(QueryLensConfig.ENABLED.key(), "false"));
        assertTrue(ds == pool);
        run("GET /a", c -> selectAuthor(c, 1));
        assertTrue(registry.find(QueryLensMeters.STATEMENTS).tag("endpoint", "GET /a").counters().isEmpty());
    }
}
