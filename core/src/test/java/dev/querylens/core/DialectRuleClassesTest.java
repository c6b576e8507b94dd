package dev.querylens.core;

import com.example.shop.Ticket;
import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.detect.FindingKind;
import dev.querylens.core.testing.TestDatabases;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule classes whose SQL differs by dialect, on H2, the real PostgreSQL and the real MariaDB: sequence calls and
 * locking reads are never duplicates, a change of schema or database restarts duplicate counting, {@code = ANY (?)}
 * exempts only arrays of two or more keys, and Hibernate's own SQL for one-key multi-loads and unbatched inserts.
 */
class DialectRuleClassesTest extends RuleTestBase {
    private HikariDataSource pool;
    private SessionFactory sessions;

    @AfterEach
    void close() {
        if (sessions != null) {
            sessions.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    private DataSource open(String db) throws SQLException {
        pool = switch (db) {
            case "h2" -> TestDatabases.h2();
            case "postgresql" -> TestDatabases.postgres();
            case "mariadb" -> TestDatabases.mariadb();
            default -> throw new IllegalArgumentException(db);
        };
        useLens(Map.of());
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop table if exists qlr_job");
            s.execute("create table qlr_job (id int primary key, status varchar(10))");
            for (int i = 1; i <= 10; i++) {
                s.execute("insert into qlr_job values (" + i + ", 'NEW')");
            }
            s.execute("drop sequence if exists qlr_seq");
            s.execute("create sequence qlr_seq");
        }
        return lens.wrap(pool, db);
    }

    private static List<String> sequenceCalls(String db) {
        return switch (db) {
            case "postgresql" -> List.of("select nextval('qlr_seq')", "select nextval('public.qlr_seq'::regclass)");
            case "mariadb" -> List.of("select next value for qlr_seq", "select nextval(qlr_seq)");
            default -> List.of("select next value for qlr_seq", "call next value for qlr_seq", "select nextval('qlr_seq')");
        };
    }

    private static List<String> lockingReads(String db) {
        return switch (db) {
            // Hibernate 7's PostgreSQL renderings of PESSIMISTIC_WRITE, PESSIMISTIC_READ and a skip-locked claim
            case "postgresql" -> List.of(
                    "select j1_0.id,j1_0.status from qlr_job j1_0 where j1_0.id=? for no key update of j1_0",
                    "select j1_0.id,j1_0.status from qlr_job j1_0 where j1_0.id=? for share of j1_0",
                    "select j1_0.id,j1_0.status from qlr_job j1_0 where j1_0.status=? order by j1_0.id fetch first 1 rows only for no key update of j1_0 skip locked");
            case "mariadb" -> List.of(
                    "select j1_0.id,j1_0.status from qlr_job j1_0 where j1_0.id=? for update",
                    "select j1_0.id,j1_0.status from qlr_job j1_0 where j1_0.id=? lock in share mode",
                    "select j1_0.id,j1_0.status from qlr_job j1_0 where j1_0.status=? order by j1_0.id limit 1 for update skip locked");
            default -> List.of(
                    "select j1_0.id,j1_0.status from qlr_job j1_0 where j1_0.id=? for update",
                    "select j1_0.id,j1_0.status from qlr_job j1_0 where j1_0.status=? order by j1_0.id fetch first 1 rows only for update");
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql", "mariadb"})
    void sequenceCallsAndLockingReadsAreNeverDuplicates(String db) throws SQLException {
        DataSource ds = open(db);
        run(ds, "POST /jobs/claim", c -> {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String call : sequenceCalls(db)) {
                    for (int i = 0; i < 4; i++) {
                        s.execute(call);
                    }
                }
            }
            for (String read : lockingReads(db)) {
                for (int i = 0; i < 4; i++) {
                    query(c, read, read.contains("status=?") ? (Object) "NEW" : (Object) 1);
                }
            }
            // the same read without a lock is a duplicate
            for (int i = 0; i < 3; i++) {
                query(c, "select j1_0.id,j1_0.status from qlr_job j1_0 where j1_0.id=?", 1);
            }
            c.commit();
            c.setAutoCommit(true);
        });
        List<FindingSummary> f = findings();
        assertEquals(1, f.size(), f::toString);
        assertEquals(FindingKind.DUPLICATE, f.get(0).kind());
        assertEquals("select j1_0.id, j1_0.status from qlr_job j1_0 where j1_0.id = ?", f.get(0).sql());
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void aChangeOfSchemaOrDatabaseRestartsTheDuplicateCount(String db) throws SQLException {
        DataSource ds = open(db);
        run(ds, "GET /tenants", c -> {
            String change;
            try (Statement s = c.createStatement(); var rs = s.executeQuery(db.equals("mariadb") ? "select database()" : "show search_path")) {
                rs.next();
                change = db.equals("mariadb") ? "use " + rs.getString(1) : "set search_path to " + rs.getString(1);
            }
            try (Statement s = c.createStatement()) {
                for (int i = 0; i < 3; i++) {
                    s.execute(change);
                    query(c, "select status from qlr_job where id = ?", 2);
                }
            }
        });
        assertEquals(List.of(), findings(FindingKind.DUPLICATE));
    }

    @Test
    void postgresArraysOfOneKeyPerRowAreNPlusOneAndOfManyAreBatches() throws SQLException {
        DataSource ds = open("postgresql");
        run(ds, "GET /jobs", c -> {
            for (int id = 1; id <= 6; id++) {
                try (PreparedStatement ps = c.prepareStatement("select j1_0.id,j1_0.status from qlr_job j1_0 where j1_0.id = any (?)")) {
                    ps.setArray(1, c.createArrayOf("int4", new Object[]{id}));
                    ps.executeQuery().close();
                }
                // jOOQ binds PostgreSQL arrays as array literals with a cast
                query(c, "select \"qlr_job\".\"id\" from \"qlr_job\" where \"qlr_job\".\"id\" = any (?::int4[])", "{" + id + "}");
            }
        });
        assertEquals(2, findings(FindingKind.N_PLUS_ONE).size(), findings()::toString);

        useLens(Map.of());
        DataSource fresh = lens.wrap(pool, "postgresql");
        run(fresh, "GET /jobs", c -> {
            for (int id = 1; id <= 10; id += 2) {
                try (PreparedStatement ps = c.prepareStatement("select j1_0.id,j1_0.status from qlr_job j1_0 where j1_0.id = any (?)")) {
                    ps.setArray(1, c.createArrayOf("int4", new Object[]{id, id + 1}));
                    ps.executeQuery().close();
                }
                query(c, "select \"qlr_job\".\"id\" from \"qlr_job\" where \"qlr_job\".\"id\" = any (?::int4[])", "{" + id + "," + (id + 1) + "}");
                query(c, "select \"qlr_job\".\"id\" from \"qlr_job\" where \"qlr_job\".\"id\" = any (?::int4[])", "{" + id + ",NULL," + (id + 1) + "}");
            }
        });
        assertEquals(List.of(), findings());
    }

    private void hibernate(DataSource ds, boolean batched) {
        Configuration cfg = new Configuration()
                .addAnnotatedClass(Ticket.class)
                .setProperty(AvailableSettings.HBM2DDL_AUTO, "create-drop");
        if (batched) {
            cfg.setProperty(AvailableSettings.STATEMENT_BATCH_SIZE, "20");
        }
        cfg.getProperties().put(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, ds);
        sessions = cfg.buildSessionFactory();
    }

    /**
     * Hibernate's own SQL: findMultiple of one id per row ({@code = any (?)} with a one-element array on PostgreSQL,
     * {@code id=?} elsewhere) is an N+1, of several ids is not; persisting rows one by one without
     * {@code hibernate.jdbc.batch_size} is unbatched writes, and its sequence calls are no duplicates.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql", "mariadb"})
    void hibernateMultiLoadsAndInserts(String db) throws SQLException {
        DataSource ds = open(db);
        hibernate(ds, false);
        List<Long> ids = new ArrayList<>();
        try (UnitOfWork unit = lens.begin("POST /tickets")) {
            sessions.inTransaction(s -> {
                for (int i = 0; i < 6; i++) {
                    Ticket t = new Ticket("NEW");
                    s.persist(t);
                    ids.add(t.getId());
                }
            });
        }
        try (UnitOfWork unit = lens.begin("GET /tickets/one-by-one")) {
            sessions.inTransaction(s -> ids.forEach(id -> s.findMultiple(Ticket.class, List.of(id))));
        }
        try (UnitOfWork unit = lens.begin("GET /tickets/pairs")) {
            sessions.inTransaction(s -> {
                for (int i = 0; i + 1 < ids.size(); i += 2) {
                    s.clear();
                    s.findMultiple(Ticket.class, List.of(ids.get(i), ids.get(i + 1)));
                }
                for (int i = 0; i + 1 < ids.size(); i += 2) {
                    s.clear();
                    s.findMultiple(Ticket.class, List.of(ids.get(i), ids.get(i + 1)));
                }
                s.clear();
                s.findMultiple(Ticket.class, List.of(ids.get(0), ids.get(5)));
            });
        }
        List<FindingSummary> f = findings();
        assertEquals(2, f.size(), f::toString);
        FindingSummary writes = findings(FindingKind.UNBATCHED_WRITES).get(0);
        assertEquals("POST /tickets", writes.endpoint());
        assertEquals("qlr_ticket", writes.table());
        assertEquals(6, writes.maxCount());
        assertTrue(writes.sql().startsWith("insert into qlr_ticket"), writes.sql());
        FindingSummary loop = findings(FindingKind.N_PLUS_ONE).get(0);
        assertEquals("GET /tickets/one-by-one", loop.endpoint());
        assertEquals(6, loop.maxCount());
        assertTrue(db.equals("postgresql") ? loop.sql().endsWith("id = any (?)") : loop.sql().endsWith("id = ?"), loop.sql());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql", "mariadb"})
    void hibernateWithJdbcBatchingIsNotUnbatched(String db) throws SQLException {
        DataSource ds = open(db);
        hibernate(ds, true);
        try (UnitOfWork unit = lens.begin("POST /tickets")) {
            sessions.inTransaction(s -> {
                for (int i = 0; i < 12; i++) {
                    s.persist(new Ticket("NEW"));
                }
            });
        }
        assertEquals(List.of(), findings());
        assertEquals(1, statements("POST /tickets", "insert"));
    }
}
