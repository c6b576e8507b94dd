package dev.querylens.testapps.javax;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import javax.servlet.DispatcherType;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.concurrent.ExecutionException;

/**
 * A {@code javax.servlet} application (Jetty 9.4) over H2's own DataSource, under the context path {@code /shop}:
 * {@code GET /shop/items/{id}} runs three SELECTs, the third after the filter's own; {@code GET /shop/reports/{id}} runs
 * the filter's and one on a thread of Spring 5's {@code SimpleAsyncTaskExecutor} (a Java 8 class file, as all of this
 * application's libraries are). Arguments: HTTP port.
 */
public final class JavaxServletApp {

    private JavaxServletApp() {
    }

    public static void main(String[] args) throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:javax;DB_CLOSE_DELAY=-1");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(20))");
            s.execute("INSERT INTO item VALUES (42, 'answer')");
        }
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/shop");
        context.addFilter(new FilterHolder(new Filter() {
            @Override
            public void init(FilterConfig filterConfig) {
            }

            @Override
            public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                    throws IOException, ServletException {
                query(h2, 42);
                chain.doFilter(request, response);
            }

            @Override
            public void destroy() {
            }
        }), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                int id = Integer.parseInt(req.getPathInfo().substring(1));
                String name = query(h2, id);
                query(h2, id);
                resp.setContentType("text/plain");
                resp.getWriter().print(name);
            }
        }), "/items/*");
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("report-");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                int id = Integer.parseInt(req.getPathInfo().substring(1));
                String name;
                try {
                    name = executor.submit(() -> query(h2, id)).get();
                } catch (InterruptedException | ExecutionException e) {
                    throw new IOException(e);
                }
                resp.setContentType("text/plain");
                resp.getWriter().print(name);
            }
        }), "/reports/*");
        Server server = new Server(Integer.parseInt(args[0]));
        server.setHandler(context);
        server.start();
        System.out.println("JavaxServletApp READY (java " + System.getProperty("java.version") + ")");
        server.join();
    }

    static String query(JdbcDataSource ds, int id) throws IOException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT name FROM item WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }
}
