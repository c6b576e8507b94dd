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

/**
 * PostgreSQL's planner calls STABLE and IMMUTABLE functions with constant arguments (bind values count as
 * constants in a custom plan): a function declared STABLE that takes a session-level advisory lock would leave it
 * held on the pooled connection, rollback or not. The sampler's catalog reads are bounded like its EXPLAIN.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresPlanTimeEffectsTest {
    private final String sfx = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final String orders = "qls_fx_orders_" + sfx;
    private final String fLock = "qls_fx_lock_" + sfx;
    private final String view = "qls_fx_view_" + sfx;
    private final String schema = "qls_fx_" + sfx;
    private final long lockKey = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
    private HikariDataSource pool;
    private Sampling sampling;

    @BeforeAll
    void createObjects() throws SQLException {
        pool = TestDatabases.postgres(1);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            OrdersTable.create(s, orders, 20_000);
            OrdersTable.analyze(s, orders);
            s.execute("CREATE FUNCTION " + fLock + "(x int) RETURNS int STABLE LANGUAGE plpgsql AS $$"
                    + " BEGIN PERFORM pg_advisory_lock(" + lockKey + "); RETURN x; END $$");
            s.execute("CREATE VIEW " + view + " AS SELECT id, status FROM " + orders + " WHERE id = " + fLock + "(1)");
            // a user function with a built-in's name, found before pg_catalog's for an int argument
            s.execute("CREATE SCHEMA " + schema);
            s.execute("CREATE FUNCTION " + schema + ".lower(x int) RETURNS int STABLE LANGUAGE plpgsql AS $$"
                    + " BEGIN PERFORM pg_advisory_lock(" + lockKey + "); RETURN x; END $$");
        }
    }

    @AfterAll
    void dropObjects() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_unlock_all()");
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("DROP VIEW IF EXISTS " + view);
            s.execute("DROP FUNCTION IF EXISTS " + fLock + "(int)");
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
    void aLockTakenByAStableFunctionIsNeverTakenBySampling() throws SQLException {
        sampling = new Sampling(Map.of());
        try (Connection raw = TestDatabases.postgresConnection()) {
            Connection app = sampling.lens.wrapConnection(raw, "main", pool);
            try (UnitOfWork work = sampling.lens.begin("GET /locked")) {
                OrderQueries.countRows(app, "SELECT id FROM " + orders + " WHERE id = " + fLock + "(?)", 7);
            }
            try (Statement s = raw.createStatement()) {
                s.execute("SELECT pg_advisory_unlock_all()");
            }
            sampling.awaitTotal(1);
        }
        assertEquals(0, advisoryLocksHeld(), "advisory locks held after sampling");
        assertEquals(1.0, sampling.outcome("skipped"), () -> sampling.outcomes().toString());
    }

    @Test
    void aViewThatCallsAStableFunctionIsNeverExplained() throws SQLException {
        sampling = new Sampling(Map.of());
        try (Connection raw = TestDatabases.postgresConnection()) {
            runAndRelease(raw, pool, "SELECT id FROM " + view + " WHERE status = ?", "NEW");
            sampling.awaitTotal(1);
        }
        assertEquals(0, advisoryLocksHeld(), "advisory locks held after sampling");
        assertEquals(1.0, sampling.outcome("skipped"), () -> sampling.outcomes().toString());
    }

    /** {@code lower(7)} calls the user's {@code lower(int)}: its schema is on the search path, before public. */
    @Test
    void aUserFunctionWithABuiltInsNameIsNeverCalledBySampling() throws SQLException {
        String url = TestDatabases.POSTGRES_URL + (TestDatabases.POSTGRES_URL.contains("?") ? "&" : "?")
                + "currentSchema=" + schema + ",public";
        sampling = new Sampling(Map.of());
        try (HikariDataSource shadowed = TestDatabases.pool(url, 1);
             Connection raw = java.sql.DriverManager.getConnection(url)) {
            runAndRelease(raw, shadowed, "SELECT id FROM " + orders + " WHERE id = lower(7)");
            sampling.awaitTotal(1);
            assertEquals(0, advisoryLocksHeld(), "advisory locks held after sampling");
        }
        assertEquals(1.0, sampling.outcome("skipped"), () -> sampling.outcomes().toString());
    }

    /** Runs {@code sql} as the application on {@code raw}, then releases the locks the application took. */
    private void runAndRelease(Connection raw, javax.sql.DataSource origin, String sql, Object... binds)
            throws SQLException {
        Connection app = sampling.lens.wrapConnection(raw, "main", origin);
        try (UnitOfWork work = sampling.lens.begin("GET /locked")) {
            OrderQueries.countRows(app, sql, binds);
        }
        try (Statement s = raw.createStatement()) {
            s.execute("SELECT pg_advisory_unlock_all()");
        }
    }

    /**
     * The table-size lookup reads {@code pg_class}; behind a lock on it (a {@code VACUUM FULL}, a migration) it
     * gives up after the lock timeout like the EXPLAIN does. Both connections have planned the statement once
     * already, so what they need of the catalog is in their caches, and only a read of {@code pg_class} waits.
     */
    @Test
    void theTableSizeLookupGivesUpBehindALockedCatalog() throws SQLException {
        sampling = new Sampling(Map.of("querylens.explain.lock-timeout", "200ms", "querylens.seqscan.min-rows", "1000"));
        String sql = "SELECT id FROM " + orders + " WHERE status = ?";
        try (Connection c = pool.getConnection()) {
            OrderQueries.countRows(c, "EXPLAIN (FORMAT JSON) " + sql, "NEW");
        }
        try (Connection locker = TestDatabases.postgresConnection(); Statement lock = locker.createStatement();
             Connection raw = TestDatabases.postgresConnection()) {
            OrderQueries.countRows(raw, sql, "NEW");
            Connection app = sampling.lens.wrapConnection(raw, "main", pool);
            locker.setAutoCommit(false);
            lock.execute("SET lock_timeout = '5s'");
            lock.execute("LOCK TABLE pg_catalog.pg_class IN ACCESS EXCLUSIVE MODE");
            try {
                try (UnitOfWork work = sampling.lens.begin("GET /orders/new")) {
                    OrderQueries.countRows(app, sql, "NEW");
                }
                sampling.awaitTotal(1);
            } finally {
                locker.rollback();
            }
        }
        assertEquals(1.0, sampling.total(), () -> sampling.outcomes().toString());
        assertEquals(0.0, sampling.outcome("seqscan"), () -> "no table size, no finding: " + sampling.outcomes());
    }

    private long advisoryLocksHeld() throws SQLException {
        try (Connection c = TestDatabases.postgresConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                     + " AND objid = " + lockKey + " AND granted")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
