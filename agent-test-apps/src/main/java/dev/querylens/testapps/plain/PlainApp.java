package dev.querylens.testapps.plain;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain Java application with no Spring: embedded Jetty 12 (ee10, jakarta.servlet), HikariCP over PostgreSQL
 * (through PostgreSQL's own {@code PGSimpleDataSource}, which the pool calls from its own threads), and raw JDBC.
 * Counts every statement it executes itself, so a test can compare with what the agent counted.
 *
 * <p>Arguments: HTTP port, JDBC URL.
 *
 * <ul>
 *   <li>{@code GET /shops/{shopId}/owners-nplusone}: one SELECT of owners, then one SELECT of pets per owner;</li>
 *   <li>{@code GET /shops/{shopId}/owners-join}: the same data in one join;</li>
 *   <li>{@code GET /stats}: statements executed so far, by endpoint, and pool facts.</li>
 * </ul>
 */
public final class PlainApp {

    static final int OWNERS = 6;
    static final AtomicLong SETUP = new AtomicLong();
    static final AtomicLong NPLUSONE = new AtomicLong();
    static final AtomicLong JOIN = new AtomicLong();

    private PlainApp() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String url = args[1];
        String schema = "ql_agent_it_" + ProcessHandle.current().pid();

        HikariConfig config = new HikariConfig();
        config.setDataSourceClassName("org.postgresql.ds.PGSimpleDataSource");
        config.addDataSourceProperty("url", url);
        config.setPoolName("plain-app");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(2);
        config.setConnectionTimeout(10_000);
        // pool-internal SQL that must belong to no request and never be counted
        config.setConnectionInitSql("SELECT 'pool-init' AS pool_init");
        config.setConnectionTestQuery("SELECT 'pool-validation' AS pool_validation");
        config.setSchema(schema);
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            System.err.println("PlainApp: PostgreSQL is not reachable at " + url + ": " + e);
            System.exit(3);
            return;
        }
        setUp(dataSource, schema);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(new PassThroughFilter()), "/*", EnumSet.allOf(jakarta.servlet.DispatcherType.class));
        context.addServlet(new ServletHolder(new ShopServlet(dataSource)), "/shops/*");
        context.addServlet(new ServletHolder(new StatsServlet(dataSource)), "/stats");

        Server server = new Server(port);
        server.setHandler(context);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (SQLException ignored) {
                // best effort
            }
        }));
        System.out.println("PlainApp READY on port " + port + " (java " + System.getProperty("java.version") + ")");
        server.join();
    }

    private static void setUp(HikariDataSource dataSource, String schema) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            exec(s, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            exec(s, "CREATE SCHEMA " + schema);
            exec(s, "CREATE TABLE " + schema + ".owner (id INT PRIMARY KEY, shop_id INT NOT NULL, name VARCHAR(40))");
            exec(s, "CREATE TABLE " + schema + ".pet (id INT PRIMARY KEY, owner_id INT NOT NULL, name VARCHAR(40))");
            for (int o = 1; o <= OWNERS; o++) {
                exec(s, "INSERT INTO " + schema + ".owner VALUES (" + o + ", 1, 'owner" + o + "')");
                exec(s, "INSERT INTO " + schema + ".pet VALUES (" + (o * 10) + ", " + o + ", 'pet" + o + "a')");
                exec(s, "INSERT INTO " + schema + ".pet VALUES (" + (o * 10 + 1) + ", " + o + ", 'pet" + o + "b')");
            }
        }
    }

    private static void exec(Statement s, String sql) throws SQLException {
        s.execute(sql);
        SETUP.incrementAndGet();
    }

    /** A filter in front of every servlet: the agent must still make one unit of work per request. */
    static final class PassThroughFilter implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            chain.doFilter(request, response);
        }
    }

    static final class ShopServlet extends HttpServlet {
        private final HikariDataSource dataSource;

        ShopServlet(HikariDataSource dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String[] parts = req.getPathInfo().split("/");
            int shopId = Integer.parseInt(parts[1]);
            List<String> lines = new ArrayList<>();
            try (Connection c = dataSource.getConnection()) {
                switch (parts[2]) {
                    case "owners-nplusone" -> {
                        List<Integer> owners = new ArrayList<>();
                        try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM owner WHERE shop_id = ? ORDER BY id")) {
                            ps.setInt(1, shopId);
                            NPLUSONE.incrementAndGet();
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    owners.add(rs.getInt(1));
                                }
                            }
                        }
                        for (int owner : owners) {
                            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM pet WHERE owner_id = ? ORDER BY id")) {
                                ps.setInt(1, owner);
                                NPLUSONE.incrementAndGet();
                                try (ResultSet rs = ps.executeQuery()) {
                                    while (rs.next()) {
                                        lines.add(owner + ":" + rs.getString(1));
                                    }
                                }
                            }
                        }
                    }
                    case "owners-join" -> {
                        try (PreparedStatement ps = c.prepareStatement("SELECT o.id, p.name FROM owner o JOIN pet p ON p.owner_id = o.id "
                                + "WHERE o.shop_id = ? ORDER BY o.id, p.id")) {
                            ps.setInt(1, shopId);
                            JOIN.incrementAndGet();
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    lines.add(rs.getInt(1) + ":" + rs.getString(2));
                                }
                            }
                        }
                    }
                    default -> {
                        resp.sendError(404);
                        return;
                    }
                }
            } catch (SQLException e) {
                throw new IOException(e);
            }
            resp.setContentType("text/plain");
            resp.getWriter().print(String.join("\n", lines));
        }
    }

    static final class StatsServlet extends HttpServlet {
        private final HikariDataSource dataSource;

        StatsServlet(HikariDataSource dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String unwrapped;
            try {
                unwrapped = dataSource.unwrap(HikariDataSource.class) == dataSource ? "same" : "different";
            } catch (SQLException e) {
                unwrapped = e.toString();
            }
            resp.setContentType("text/plain");
            resp.getWriter().print("setup=" + SETUP.get() + "\nnplusone=" + NPLUSONE.get() + "\njoin=" + JOIN.get()
                    + "\ndataSourceClass=" + dataSource.getClass().getName()
                    + "\nunwrap=" + unwrapped
                    + "\npoolTotal=" + dataSource.getHikariPoolMXBean().getTotalConnections() + "\n");
        }
    }
}
