package dev.querylens.core.explain;

import com.example.shop.OrderQueries;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.UnitOfWork;
import dev.querylens.core.testing.DelegatingDataSource;
import dev.querylens.core.testing.OrdersTable;
import dev.querylens.core.testing.Sampling;
import dev.querylens.core.testing.TestDatabases;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * H2 keeps its lock and query timeouts per session, and its JDBC {@code setQueryTimeout} sets the session's value
 * too; it also calls DETERMINISTIC user functions with constant arguments while it plans. With a pool of one, the
 * application's next connection is the very one the sampler used.
 */
public class H2SessionStateTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** Calls of {@link #sideEffect}, the Java method behind the user function {@code F_SIDE}. */
    static final AtomicInteger SIDE_EFFECTS = new AtomicInteger();

    private Sampling sampling;

    /** Behind {@code CREATE ALIAS ... DETERMINISTIC}: counts its calls. */
    public static int sideEffect(int x) {
        SIDE_EFFECTS.incrementAndGet();
        return x;
    }

    @AfterEach
    void closeLens() {
        if (sampling != null) {
            sampling.close();
        }
    }

    @Test
    void theApplicationsNextConnectionHasItsOwnTimeouts() throws SQLException {
        try (HikariDataSource one = TestDatabases.pool(h2Url(), 1)) {
            createOrders(one);
            List<Object> before = settings(one);
            sampling = new Sampling(Map.of());
            DataSource app = sampling.lens.wrap(one, "main");
            try (UnitOfWork work = sampling.lens.begin("GET /orders/new"); Connection c = app.getConnection()) {
                OrderQueries.countRows(c, "SELECT id FROM orders WHERE status = ?", "NEW");
            }
            sampling.awaitTotal(1);
            assertEquals(1.0, sampling.outcome("seqscan"), () -> sampling.outcomes().toString());
            assertEquals(before, settings(one), "LOCK_TIMEOUT, QUERY_TIMEOUT, auto-commit of the pooled connection");
        }
    }

    @Test
    void aConnectionWhoseSettingsCouldNotBeRestoredIsEvictedFromThePool() throws SQLException {
        FailingAfterExplain target = new FailingAfterExplain(h2Url());
        HikariConfig config = new HikariConfig();
        config.setDataSource(target);
        config.setMaximumPoolSize(1);
        config.setMinimumIdle(0);
        try (HikariDataSource one = new HikariDataSource(config)) {
            createOrders(one);
            List<Object> before = settings(one);
            int openedBefore = target.opened.get();
            int closedBefore = target.closed.size();
            sampling = new Sampling(Map.of());
            DataSource app = sampling.lens.wrap(one, "main");
            try (UnitOfWork work = sampling.lens.begin("GET /orders/new"); Connection c = app.getConnection()) {
                OrderQueries.countRows(c, "SELECT id FROM orders WHERE status = ?", "NEW");
            }
            sampling.awaitTotal(1);
            sampling.await("the broken connection to be closed", () -> target.closed.size() == closedBefore + 1);
            assertEquals(before, settings(one), "the application's next connection is a new one");
            assertEquals(openedBefore + 1, target.opened.get(), "one connection replaced");
        }
    }

    @Test
    void deterministicUserFunctionsAreNeverCalledBySampling() throws SQLException {
        assertNoCallBesidesTheApplications("SELECT id FROM orders WHERE id = F_SIDE(1)");
    }

    /** The statement calls nothing; the view it reads calls the function. */
    @Test
    void aViewIsNeverExplained() throws SQLException {
        assertNoCallBesidesTheApplications("SELECT id FROM orders_one WHERE status = 'NEW'");
    }

    private void assertNoCallBesidesTheApplications(String sql) throws SQLException {
        try (HikariDataSource pool = TestDatabases.pool(h2Url(), 2)) {
            createOrders(pool);
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE ALIAS F_SIDE DETERMINISTIC FOR \"" + H2SessionStateTest.class.getName() + ".sideEffect\"");
                s.execute("CREATE VIEW ORDERS_ONE AS SELECT ID, STATUS FROM ORDERS WHERE ID = F_SIDE(1)");
            }
            sampling = new Sampling(Map.of());
            DataSource app = sampling.lens.wrap(pool, "main");
            try (UnitOfWork work = sampling.lens.begin("GET /orders/x"); Connection c = app.getConnection()) {
                OrderQueries.countRows(c, sql);
            }
            int byApplication = SIDE_EFFECTS.get();
            sampling.awaitTotal(1);
            assertEquals(byApplication, SIDE_EFFECTS.get(), "calls besides the application's");
            assertEquals(1.0, sampling.outcome("skipped"), () -> sampling.outcomes().toString());
        }
    }

    private static String h2Url() {
        return "jdbc:h2:mem:qls_session" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }

    private static void createOrders(DataSource ds) throws SQLException {
        OrdersTable.createAnalyzed(ds, "orders", 20_000);
    }

    /** What the sampler must leave as it found it on H2: both timeouts and auto-commit. */
    private static List<Object> settings(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT LOCK_TIMEOUT(), (SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                     + " WHERE SETTING_NAME = 'QUERY_TIMEOUT')")) {
            rs.next();
            return List.of(rs.getInt(1), rs.getString(2), c.getAutoCommit());
        }
    }

    /**
     * A real H2 data source whose connections fail every statement once they have run an EXPLAIN, as a connection
     * does that breaks while the sampler holds it: its settings cannot be restored.
     */
    static final class FailingAfterExplain extends DelegatingDataSource {
        final AtomicInteger opened = new AtomicInteger();
        final Set<Connection> closed = ConcurrentHashMap.newKeySet();

        FailingAfterExplain(String url) {
            super(h2(url));
        }

        private static JdbcDataSource h2(String url) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);
            return h2;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection real = target.getConnection();
            opened.incrementAndGet();
            boolean[] broken = {false};
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        String name = method.getName();
                        if (name.equals("close")) {
                            closed.add(real);
                        } else if (broken[0] && !name.equals("isClosed") && !name.startsWith("unwrap")
                                && !name.equals("isWrapperFor") && !name.equals("abort")) {
                            throw new SQLException("the connection broke", "HY000");
                        }
                        if (name.equals("prepareStatement") && args[0] instanceof String sql
                                && sql.stripLeading().toUpperCase().startsWith("EXPLAIN")) {
                            broken[0] = true;
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
