package dev.querylens.core.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real databases the tests use. PostgreSQL and MariaDB are this machine's own (and CI's); when one cannot be
 * reached the test fails with a message saying how to start it: a missing database must turn the build red,
 * never skip. URLs can be overridden with {@code QUERYLENS_TEST_POSTGRES_URL} and {@code QUERYLENS_TEST_MARIADB_URL}.
 */
public final class TestDatabases {
    private static final AtomicInteger H2_COUNTER = new AtomicInteger();

    public static final String POSTGRES_URL = env("QUERYLENS_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    public static final String MARIADB_URL = env("QUERYLENS_TEST_MARIADB_URL",
            "jdbc:mariadb://127.0.0.1:3306/test?user=root");

    private TestDatabases() {
    }

    /** A fresh in-memory H2 database behind HikariCP. */
    public static HikariDataSource h2() {
        return pool("jdbc:h2:mem:ql" + H2_COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1", 4);
    }

    public static HikariDataSource postgres() {
        return postgres(4);
    }

    /** A pool of at most {@code size} connections over the real PostgreSQL; one connection stays open after the check. */
    public static HikariDataSource postgres(int size) {
        return reachable(pool(POSTGRES_URL, size), "PostgreSQL", "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
    }

    public static HikariDataSource mariadb() {
        return mariadb(4);
    }

    public static HikariDataSource mariadb(int size) {
        return reachable(pool(MARIADB_URL, size), "MariaDB", "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd");
    }

    /** One plain connection to the real PostgreSQL, outside any pool. */
    public static Connection postgresConnection() {
        return connect(POSTGRES_URL, "PostgreSQL", "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
    }

    /** One plain connection to the real MariaDB, outside any pool. */
    public static Connection mariadbConnection() {
        return connect(MARIADB_URL, "MariaDB", "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd");
    }

    private static Connection connect(String url, String name, String startCommand) {
        try {
            return java.sql.DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw new AssertionError(name + " is not reachable at " + url + " (" + e.getMessage()
                    + "). These tests need the real server; start it with: " + startCommand, e);
        }
    }

    /** A pool over {@code url}; the pool connects lazily, so construction never fails on an absent server. */
    public static HikariDataSource pool(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(5_000);
        return new HikariDataSource(config);
    }

    private static HikariDataSource reachable(HikariDataSource ds, String name, String startCommand) {
        try (Connection c = ds.getConnection()) {
            c.isValid(2);
            return ds;
        } catch (SQLException e) {
            ds.close();
            throw new AssertionError(name + " is not reachable at " + ds.getJdbcUrl() + " (" + e.getMessage()
                    + "). These tests need the real server; start it with: " + startCommand, e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
