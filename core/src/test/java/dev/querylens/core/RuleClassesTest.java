package dev.querylens.core;

import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.detect.FindingKind;
import dev.querylens.core.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each class of statement the N+1, duplicate and unbatched-writes rules must get right, positive and negative,
 * through real JDBC on H2 with SQL as Hibernate 6/7, jOOQ and Spring Data write it. The dialect-specific classes
 * ({@code = ANY} arrays, sequences, locking reads) run on the real PostgreSQL and MariaDB in
 * {@link DialectRuleClassesTest}.
 */
class RuleClassesTest extends RuleTestBase {
    private HikariDataSource pool;
    private DataSource ds;

    @BeforeEach
    void setUp() throws SQLException {
        pool = TestDatabases.h2();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table author (id int primary key, name varchar(50))");
            s.execute("create table book (id int primary key, author_id int, title varchar(50), status varchar(10))");
            s.execute("create table review (id int primary key, book_id int, stars int)");
            for (int i = 1; i <= 30; i++) {
                s.execute("insert into author values (" + i + ", 'author " + i + "')");
                s.execute("insert into book values (" + i + ", " + (1 + i % 6) + ", 'book " + i + "', '"
                        + (i % 3 == 0 ? "NEW" : i % 3 == 1 ? "PAID" : "SHIPPED") + "')");
                s.execute("insert into review values (" + i + ", " + i + ", " + (i % 5) + ")");
            }
        }
        useLens(Map.of());
        ds = lens.wrap(pool, "h2");
    }

    @AfterEach
    void tearDown() {
        pool.close();
    }

    // ---- exact repeats: the same rows asked for again are duplicates, not a loop over keys

    @Test
    void twoKeysLoadedThreeTimesEachAreDuplicatesNotAnNPlusOne() throws SQLException {
        run(ds, "POST /pets/{id}/edit", c -> {
            for (int round = 0; round < 3; round++) {
                for (int author = 1; author <= 2; author++) {
                    query(c, "select a1_0.id,a1_0.name from author a1_0 where a1_0.id=?", author);
                }
            }
        });
        assertEquals(List.of(), findings(FindingKind.N_PLUS_ONE));
        assertEquals(1, findings(FindingKind.DUPLICATE).size(), findings()::toString);
    }

    @Test
    void aLoopOverFiveKeysWithRepeatsIsStillAnNPlusOne() throws SQLException {
        run(ds, "GET /authors/twice", c -> {
            for (int round = 0; round < 2; round++) {
                for (int author = 1; author <= 5; author++) {
                    query(c, "select a1_0.id,a1_0.name from author a1_0 where a1_0.id=?", author);
                }
            }
        });
        List<FindingSummary> f = findings(FindingKind.N_PLUS_ONE);
        assertEquals(1, f.size(), findings()::toString);
        assertEquals(10, f.get(0).maxCount(), f::toString);
    }

    // ---- key lists: a list exempts only with two or more keys, and only when it carries what varies

    @Test
    void aConstantInListBesideAVaryingKeyIsAnNPlusOne() throws SQLException {
        run(ds, "GET /authors", c -> {
            for (int author = 1; author <= 6; author++) {
                query(c, "select b1_0.id,b1_0.title from book b1_0 where b1_0.author_id=? and b1_0.status in ('NEW','PAID')", author);
            }
            for (int author = 1; author <= 6; author++) {
                query(c, "select b.id from book b where b.status in (?, ?) and b.author_id = ?", "NEW", "PAID", author);
            }
        });
        List<FindingSummary> f = findings(FindingKind.N_PLUS_ONE);
        assertEquals(2, f.size(), f::toString);
        assertTrue(f.stream().allMatch(x -> x.table().equals("book") && x.maxCount() == 6), f::toString);
    }

    @Test
    void aListCarryingTheVaryingKeysIsABatchFetch() throws SQLException {
        run(ds, "GET /books", c -> {
            for (int i = 1; i <= 25; i += 3) {
                query(c, "select r1_0.book_id,r1_0.id,r1_0.stars from review r1_0 where r1_0.book_id in (?,?,?)", i, i + 1, i + 2);
            }
            for (int i = 1; i <= 25; i += 2) {
                query(c, "select b.id from book b where b.id in (" + i + ", " + (i + 1) + ") and b.status = 'NEW'");
            }
        });
        assertEquals(List.of(), findings());
    }

    @Test
    void aPaddedListWithOneKeyPerExecutionIsAnNPlusOne() throws SQLException {
        // Hibernate pads batch-fetch IN lists with NULLs up to the batch size
        String sql = "select r1_0.book_id,r1_0.id,r1_0.stars from review r1_0 where r1_0.book_id in (?,?,?,?,?,?,?,?)";
        run(ds, "GET /padded", c -> {
            for (int book = 1; book <= 6; book++) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setInt(1, book);
                    for (int i = 2; i <= 8; i++) {
                        ps.setNull(i, java.sql.Types.INTEGER);
                    }
                    ps.executeQuery().close();
                }
            }
        });
        assertEquals(1, findings(FindingKind.N_PLUS_ONE).size(), findings()::toString);
        // the same statement fetching six keys at once, then the remainder of one, is a batch fetch
        useLens(Map.of());
        DataSource fresh = lens.wrap(pool, "h2");
        run(fresh, "GET /batches", c -> {
            for (int batch = 0; batch < 3; batch++) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 1; i <= 8; i++) {
                        ps.setInt(i, batch * 8 + i);
                    }
                    ps.executeQuery().close();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, 30);
                for (int i = 2; i <= 8; i++) {
                    ps.setNull(i, java.sql.Types.INTEGER);
                }
                ps.executeQuery().close();
            }
        });
        assertEquals(List.of(), findings());
    }

    @Test
    void aOneElementArrayPerRowIsAnNPlusOneAndArraysOfManyAreBatches() throws SQLException {
        run(ds, "GET /arrays", c -> {
            for (int book = 1; book <= 6; book++) {
                try (PreparedStatement ps = c.prepareStatement("select r.id from review r where r.book_id = any (?)")) {
                    ps.setArray(1, c.createArrayOf("INTEGER", new Object[]{book}));
                    ps.executeQuery().close();
                }
                // Hibernate's H2 rendering of an array parameter
                query(c, "select r.id from review r where array_contains(?, r.book_id)", (Object) new Integer[]{book});
            }
        });
        assertEquals(2, findings(FindingKind.N_PLUS_ONE).size(), findings()::toString);

        useLens(Map.of());
        DataSource fresh = lens.wrap(pool, "h2");
        run(fresh, "GET /arrays", c -> {
            for (int book = 1; book <= 12; book += 2) {
                try (PreparedStatement ps = c.prepareStatement("select r.id from review r where r.book_id = any (?)")) {
                    ps.setArray(1, c.createArrayOf("INTEGER", new Object[]{book, book + 1}));
                    ps.executeQuery().close();
                }
                query(c, "select r.id from review r where array_contains(?, r.book_id)", (Object) new Integer[]{book, book + 1});
            }
        });
        assertEquals(List.of(), findings());
    }

    @Test
    void theSameArrayContentIsADuplicate() throws SQLException {
        run(ds, "GET /arrays", c -> {
            for (int i = 0; i < 3; i++) {
                try (PreparedStatement ps = c.prepareStatement("select r.id from review r where r.book_id = any (?)")) {
                    ps.setArray(1, c.createArrayOf("INTEGER", new Object[]{1, 2}));
                    ps.executeQuery().close();
                }
            }
        });
        assertEquals(1, findings(FindingKind.DUPLICATE).size(), findings()::toString);
    }

    // ---- keyset paging is paging; a varying key beside it is not

    @Test
    void keysetPagingAsHibernateAndJooqWriteItIsNotAnNPlusOne() throws SQLException {
        run(ds, "GET /books", c -> {
            for (int last = 0; last < 30; last += 5) {
                // Hibernate 7 KeyedPage (also Spring Data's keyset scrolling): ORDER BY select-list positions
                query(c, "select p1_0.id,p1_0.status,p1_0.title from book p1_0 where p1_0.id>? order by 1 offset ? rows fetch first ? rows only",
                        last, 0, 5);
                query(c, "select p1_0.id,p1_0.status,p1_0.title from book p1_0 where p1_0.title>? or p1_0.id>? and p1_0.title=? "
                        + "order by 3,1 offset ? rows fetch first ? rows only", "book " + last, last, "book " + last, 0, 5);
                // jOOQ's seek(): a row value comparison
                query(c, "select \"BOOK\".\"ID\", \"BOOK\".\"TITLE\" from \"BOOK\" where (\"BOOK\".\"TITLE\", \"BOOK\".\"ID\") > (?, ?) "
                        + "order by \"BOOK\".\"TITLE\", \"BOOK\".\"ID\" limit ?", "book " + last, last, 5);
                // by hand, descending, literal page size
                query(c, "select id, title from book where id < ? order by id desc limit 5", 30 - last);
            }
        });
        assertEquals(List.of(), findings());
        assertEquals(24, statements("GET /books", "select"));
    }

    @Test
    void aVaryingKeyBesideTheKeysetOrWithoutALimitIsAnNPlusOne() throws SQLException {
        run(ds, "GET /authors", c -> {
            for (int author = 1; author <= 6; author++) {
                query(c, "select b.id from book b where b.author_id = ? and b.id > ? order by b.id limit ?", author, 0, 10);
            }
            for (int id = 1; id <= 6; id++) {
                query(c, "select b.id from book b where b.id > ? order by b.id", id);
            }
        });
        assertEquals(2, findings(FindingKind.N_PLUS_ONE).size(), findings()::toString);
    }

    // ---- duplicates

    @Test
    void aWriteToTheTableBetweenRunsRestartsTheDuplicateCount() throws SQLException {
        run(ds, "PUT /author", c -> {
            for (int i = 0; i < 3; i++) {
                query(c, "select a1_0.id,a1_0.name from author a1_0 where a1_0.id=?", 1);
                query(c, "select b.title, a.name from book b join author a on a.id = b.author_id where b.id = ?", 1);
                update(c, "update author set name=? where id=?", "name " + i, 1);
            }
        });
        assertEquals(List.of(), findings(FindingKind.DUPLICATE));

        useLens(Map.of());
        DataSource fresh = lens.wrap(pool, "h2");
        run(fresh, "PUT /review", c -> {
            for (int i = 0; i < 3; i++) {
                query(c, "select a1_0.id,a1_0.name from author a1_0 where a1_0.id=?", 1);
                update(c, "update review set stars=? where id=?", i, 1);
            }
        });
        List<FindingSummary> f = findings(FindingKind.DUPLICATE);
        assertEquals(1, f.size(), "a write to another table changes nothing the query reads: " + findings());
        assertEquals("author", f.get(0).table());
    }

    @Test
    void aChangeOfSchemaBetweenRunsRestartsTheDuplicateCount() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("create schema tenant_b");
            s.execute("create table tenant_b.author (id int primary key, name varchar(50))");
            s.execute("insert into tenant_b.author values (1, 'other')");
        }
        run(ds, "GET /tenants", c -> {
            try (Statement s = c.createStatement()) {
                for (String schema : List.of("PUBLIC", "TENANT_B", "PUBLIC")) {
                    s.execute("set schema " + schema);
                    query(c, "select name from author where id = ?", 1);
                }
                for (String schema : List.of("TENANT_B", "PUBLIC", "TENANT_B")) {
                    c.setSchema(schema);
                    query(c, "select id from author where id = ?", 1);
                }
            }
            c.setSchema("PUBLIC");
        });
        assertEquals(List.of(), findings(FindingKind.DUPLICATE));
    }

    @Test
    void duplicatesCountPerDataSourceWhileAnNPlusOneMaySpanThem() throws SQLException {
        try (HikariDataSource second = TestDatabases.h2()) {
            try (Connection c = second.getConnection(); Statement s = c.createStatement()) {
                s.execute("create table author (id int primary key, name varchar(50))");
                for (int i = 1; i <= 30; i++) {
                    s.execute("insert into author values (" + i + ", 'shard b " + i + "')");
                }
            }
            DataSource shardB = lens.wrap(second, "shard-b");
            try (UnitOfWork unit = lens.begin("GET /fan-out"); Connection a = ds.getConnection(); Connection b = shardB.getConnection()) {
                for (Connection c : List.of(a, b, a, b)) {
                    query(c, "select name from author where id = ?", 7);
                }
                for (int id = 1; id <= 3; id++) {
                    query(a, "select id from author where name = ?", "author " + id);
                    query(b, "select id from author where name = ?", "shard b " + id);
                }
            }
            List<FindingSummary> f = findings();
            assertEquals(1, f.size(), f::toString);
            assertEquals(FindingKind.N_PLUS_ONE, f.get(0).kind());
            assertEquals(6, f.get(0).maxCount());

            try (UnitOfWork unit = lens.begin("GET /one-shard"); Connection b = shardB.getConnection()) {
                for (int i = 0; i < 3; i++) {
                    query(b, "select name from author where id = ?", 7);
                }
            }
            assertEquals(1, findings(FindingKind.DUPLICATE).size(), findings()::toString);
        }
    }

    // ---- call sites

    @Test
    void aLoopWhileAViewRendersNamesTheHandlerMethodAndSaysSo() throws Exception {
        Object handler = org.springframework.samples.querylens.OwnerController.processFindFormHandler();
        run(ds, "GET /owners", c -> {
            query(c, "select a1_0.id, a1_0.name from author a1_0");
            lens.viewRendering(handler);
            try {
                // a view engine iterating a lazy collection: no application frame but the entity's getter
                org.springframework.samples.querylens.VisitReport.run(() -> {
                    try {
                        for (int author = 1; author <= 6; author++) {
                            query(c, "select b1_0.author_id, b1_0.id, b1_0.title from book b1_0 where b1_0.author_id=?", author);
                        }
                        return null;
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
            } finally {
                lens.viewRendering(null);
            }
            for (int id = 1; id <= 6; id++) {
                query(c, "select r.stars from review r where r.book_id = ?", id);
            }
        });
        FindingSummary inView = findings().stream().filter(f -> f.table().equals("book")).findFirst().orElseThrow();
        assertEquals("org.springframework.samples.querylens.OwnerController.processFindForm", inView.callSite());
        assertEquals("view rendering", inView.details().get("during"));
        assertTrue(inView.details().get("frame").startsWith("com.example.shop.OrderQueries.countRows("),
                "the first application frame below the view: " + inView.details());
        assertTrue(inView.hint().contains("JOIN FETCH") && inView.hint().contains("spring.jpa.open-in-view=false"), inView.hint());
        String line = QueryLens.describe(new dev.querylens.core.detect.Finding(inView.kind(), inView.endpoint(), inView.table(),
                inView.sql(), 6, inView.parentQuery(), inView.callSite(), inView.hint(), inView.details()));
        assertTrue(line.contains("loaded while the view of org.springframework.samples.querylens.OwnerController.processFindForm rendered"), line);

        FindingSummary after = findings().stream().filter(f -> f.table().equals("review")).findFirst().orElseThrow();
        assertTrue(after.callSite() == null || !after.callSite().contains("OwnerController"), after.toString());
        assertEquals(null, after.details().get("during"));
        assertEquals(FindingKind.N_PLUS_ONE.hint(), after.hint());
    }

    // ---- batches and unbatched writes

    @Test
    void addBatchOfStringsCountsOncePerBatch() throws SQLException {
        run(ds, "POST /reviews", c -> {
            try (Statement s = c.createStatement()) {
                for (int batch = 0; batch < 2; batch++) {
                    for (int i = 0; i < 4; i++) {
                        s.addBatch("insert into review (id, book_id, stars) values (" + (100 + batch * 10 + i) + ", 1, 5)");
                    }
                    s.addBatch("update author set name = 'x' where id = 1");
                    s.executeBatch();
                }
            }
        });
        assertEquals(2, statements("POST /reviews", "insert"));
        assertEquals(0, statements("POST /reviews", "update"));
        assertEquals(2, registry.get(QueryLensMeters.REQUEST_STATEMENTS).tag("endpoint", "POST /reviews").summary().totalAmount());
        assertEquals(List.of(), findings());
    }

    @Test
    void writesOneAtATimeAreUnbatchedWrites() throws SQLException {
        run(ds, "POST /reviews", c -> {
            // as Hibernate writes them without hibernate.jdbc.batch_size
            for (int i = 0; i < 6; i++) {
                update(c, "insert into review (book_id,stars,id) values (?,?,?)", 1, 5, 200 + i);
            }
            for (int i = 0; i < 6; i++) {
                update(c, "delete from review where id=?", 200 + i);
            }
        });
        List<FindingSummary> f = findings(FindingKind.UNBATCHED_WRITES);
        assertEquals(2, f.size(), f::toString);
        for (FindingSummary w : f) {
            assertEquals("review", w.table());
            assertEquals(6, w.maxCount());
            assertTrue(w.hint().contains("hibernate.jdbc.batch_size"), w.hint());
        }
        assertEquals(2.0, registry.get(QueryLensMeters.UNBATCHED_WRITES).tag("endpoint", "POST /reviews")
                .tag("table", "review").counter().count());
        assertEquals("unbatched-writes", f.get(0).kind().tag());
    }

    @Test
    void batchesSetBasedWritesAndFewWritesAreNotUnbatched() throws SQLException {
        run(ds, "POST /reviews", c -> {
            for (int batch = 0; batch < 3; batch++) {
                try (PreparedStatement ps = c.prepareStatement("insert into review (book_id,stars,id) values (?,?,?)")) {
                    for (int i = 0; i < 3; i++) {
                        ps.setInt(1, 1);
                        ps.setInt(2, 4);
                        ps.setInt(3, 300 + batch * 3 + i);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            for (int i = 0; i < 6; i++) {
                update(c, "insert into review (book_id, stars, id) values (?, ?, ?), (?, ?, ?)", 1, 3, 400 + 2 * i, 1, 3, 401 + 2 * i);
            }
            for (int i = 0; i < 6; i++) {
                update(c, "delete from review where id in (?, ?)", 400 + 2 * i, 401 + 2 * i);
            }
            for (int i = 0; i < 4; i++) {
                update(c, "update book set status=? where id=?", "NEW", i + 1);
            }
        });
        assertEquals(List.of(), findings());
    }
}
