package dev.querylens.core.explain;

import com.example.shop.OrderQueries;
import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.UnitOfWork;
import dev.querylens.core.testing.OrdersTable;
import dev.querylens.core.testing.Sampling;
import dev.querylens.core.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * MariaDB evaluates parts of a statement while it plans it: derived tables are materialised, DETERMINISTIC stored
 * functions with constant arguments are called, {@code NEXTVAL} hands out values. The sampler must leave every
 * row, sequence and lock as the application left them. The application runs on a connection of its own, so what
 * its own executions did (rows logged under its connection id) is told apart from anything the sampler did.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariadbPlanTimeEffectsTest {
    private final String sfx = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final String orders = "qls_fx_orders_" + sfx;
    private final String log = "qls_fx_log_" + sfx;
    private final String seq = "qls_fx_seq_" + sfx;
    private final String fSide = "qls_fx_side_" + sfx;
    private final String fDet = "qls_fx_det_" + sfx;
    private final String fLock = "qls_fx_lock_" + sfx;
    private final String lockName = "qls_fx_lock_" + sfx;
    private final String view = "qls_fx_view_" + sfx;
    private HikariDataSource pool;
    private Sampling sampling;

    @BeforeAll
    void createObjects() throws SQLException {
        pool = TestDatabases.mariadb(2);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            OrdersTable.create(s, orders, 50);
            OrdersTable.analyze(s, orders);
            s.execute("CREATE TABLE " + log + " (id int AUTO_INCREMENT PRIMARY KEY, conn bigint NOT NULL)");
            s.execute("CREATE SEQUENCE " + seq + " NOCACHE");
            s.execute("CREATE FUNCTION " + fSide + "() RETURNS int NOT DETERMINISTIC MODIFIES SQL DATA"
                    + " BEGIN INSERT INTO " + log + " (conn) VALUES (CONNECTION_ID()); RETURN 1; END");
            s.execute("CREATE FUNCTION " + fDet + "(x int) RETURNS int DETERMINISTIC"
                    + " BEGIN INSERT INTO " + log + " (conn) VALUES (CONNECTION_ID()); RETURN x; END");
            s.execute("CREATE FUNCTION " + fLock + "(x int) RETURNS int DETERMINISTIC"
                    + " RETURN x + GET_LOCK('" + lockName + "', 0) - 1");
            s.execute("CREATE VIEW " + view + " AS SELECT id, status FROM " + orders + " WHERE id = " + fLock + "(1)");
        }
    }

    @AfterAll
    void dropObjects() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (String f : new String[] {fSide, fDet, fLock}) {
                s.execute("DROP FUNCTION IF EXISTS " + f);
            }
            s.execute("DROP VIEW IF EXISTS " + view);
            s.execute("DROP SEQUENCE IF EXISTS " + seq);
            s.execute("DROP TABLE IF EXISTS " + log + ", " + orders);
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
    void storedFunctionsThatWriteAreNeverCalledBySampling() throws SQLException {
        sampling = new Sampling(Map.of());
        try (Connection raw = TestDatabases.mariadbConnection()) {
            Connection app = sampling.lens.wrapConnection(raw, "main", pool);
            runInUnit(app, "SELECT x FROM (SELECT " + fSide + "() AS x) d");
            runInUnit(app, "SELECT id FROM " + orders + " WHERE id = " + fDet + "(1)");
            sampling.awaitTotal(2);
            assertEquals(0, count("SELECT count(*) FROM " + log + " WHERE conn <> " + connectionId(raw)),
                    "rows written by a connection other than the application's");
            assertEquals(2.0, sampling.outcome("skipped"), () -> sampling.outcomes().toString());
        }
    }

    @Test
    void sequencesAreNeverAdvancedBySampling() throws SQLException {
        String byFunction = "SELECT id FROM " + orders + " WHERE id = NEXTVAL(" + seq + ")";
        String byExpression = "SELECT id FROM " + orders + " WHERE id = NEXT VALUE FOR " + seq;
        // what the application's own executions take, measured without Querylens
        long before = nextNotCached();
        try (Connection plain = TestDatabases.mariadbConnection()) {
            OrderQueries.countRows(plain, byFunction);
            OrderQueries.countRows(plain, byExpression);
        }
        long byApplication = nextNotCached() - before;

        sampling = new Sampling(Map.of());
        long start = nextNotCached();
        try (Connection raw = TestDatabases.mariadbConnection()) {
            Connection app = sampling.lens.wrapConnection(raw, "main", pool);
            runInUnit(app, byFunction);
            runInUnit(app, byExpression);
            sampling.awaitTotal(2);
        }
        assertEquals(byApplication, nextNotCached() - start, "sequence values taken besides the application's");
        assertEquals(2.0, sampling.outcome("skipped"), () -> sampling.outcomes().toString());
    }

    @Test
    void locksTakenInFunctionsAreNeverTakenBySampling() throws SQLException {
        sampling = new Sampling(Map.of());
        try (Connection raw = TestDatabases.mariadbConnection()) {
            Connection app = sampling.lens.wrapConnection(raw, "main", pool);
            runInUnit(app, "SELECT id FROM " + orders + " WHERE id = " + fLock + "(1)");
            try (Statement s = raw.createStatement()) {
                s.execute("DO RELEASE_ALL_LOCKS()");
            }
            sampling.awaitTotal(1);
            assertNull(lockHolder(), "the lock is held by a session of the pool");
            assertEquals(1.0, sampling.outcome("skipped"), () -> sampling.outcomes().toString());
        }
    }

    /** The statement calls nothing; the view it reads calls a function that takes a lock. */
    @Test
    void aViewIsNeverExplained() throws SQLException {
        sampling = new Sampling(Map.of());
        try (Connection raw = TestDatabases.mariadbConnection()) {
            Connection app = sampling.lens.wrapConnection(raw, "main", pool);
            runInUnit(app, "SELECT id FROM " + view + " WHERE status = 'NEW'");
            try (Statement s = raw.createStatement()) {
                s.execute("DO RELEASE_ALL_LOCKS()");
            }
            sampling.awaitTotal(1);
            assertNull(lockHolder(), "the lock is held by a session of the pool");
            assertEquals(1.0, sampling.outcome("skipped"), () -> sampling.outcomes().toString());
        }
    }

    private Object lockHolder() throws SQLException {
        try (Connection other = TestDatabases.mariadbConnection(); Statement s = other.createStatement();
             ResultSet rs = s.executeQuery("SELECT IS_USED_LOCK('" + lockName + "')")) {
            rs.next();
            return rs.getObject(1);
        }
    }

    private void runInUnit(Connection app, String sql) throws SQLException {
        try (UnitOfWork work = sampling.lens.begin("GET /effects")) {
            OrderQueries.countRows(app, sql);
        }
    }

    private long nextNotCached() throws SQLException {
        return count("SELECT next_not_cached_value FROM " + seq);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = TestDatabases.mariadbConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long connectionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
