package dev.querylens.testapps.datasources;

import com.alibaba.druid.pool.DruidDataSource;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import org.vibur.dbcp.ViburDBCPDataSource;
import com.mchange.v2.c3p0.ComboPooledDataSource;
import com.mchange.v2.c3p0.DataSources;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.dbcp2.BasicDataSource;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One endpoint per {@code DataSource} implementation, each running {@link #STATEMENTS} statements through it:
 * {@code GET /ds/{kind}}. Pools are set up with init SQL and validation queries of their own, which must never be
 * counted. Arguments: HTTP port, PostgreSQL JDBC URL.
 */
public final class DataSourcesApp {

    static final int STATEMENTS = 3;
    static final AtomicLong EXECUTED = new AtomicLong();

    private DataSourcesApp() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String pgUrl = args[1];
        Map<String, DataSource> kinds = new LinkedHashMap<>();

        HikariConfig hikariOverPg = new HikariConfig();
        hikariOverPg.setJdbcUrl(pgUrl);
        hikariOverPg.setMaximumPoolSize(2);
        hikariOverPg.setConnectionInitSql("SELECT 'hikari-init'");
        hikariOverPg.setConnectionTestQuery("SELECT 'hikari-validation'");
        HikariDataSource hikari = new HikariDataSource(hikariOverPg);
        kinds.put("hikari", hikari);

        BasicDataSource dbcp2 = new BasicDataSource();
        dbcp2.setUrl(pgUrl);
        dbcp2.setMaxTotal(2);
        dbcp2.setValidationQuery("SELECT 'dbcp2-validation'");
        dbcp2.setTestOnBorrow(true);
        dbcp2.setConnectionInitSqls(java.util.List.of("SELECT 'dbcp2-init'"));
        kinds.put("dbcp2", dbcp2);

        org.apache.tomcat.jdbc.pool.DataSource tomcat = new org.apache.tomcat.jdbc.pool.DataSource();
        tomcat.setUrl(pgUrl);
        tomcat.setDriverClassName("org.postgresql.Driver");
        tomcat.setMaxActive(2);
        tomcat.setInitialSize(1);
        tomcat.setValidationQuery("SELECT 'tomcat-validation'");
        tomcat.setTestOnBorrow(true);
        tomcat.setInitSQL("SELECT 'tomcat-init'");
        kinds.put("tomcat-jdbc", tomcat);

        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(pgUrl);
        kinds.put("pgsimple", pg);

        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:datasources;DB_CLOSE_DELAY=-1");
        kinds.put("h2", h2);

        kinds.put("spring-drivermanager", new DriverManagerDataSource(pgUrl));

        // a pool over Spring's DriverManagerDataSource: the pool's own connections are never wrapped
        HikariConfig hikariOverSpring = new HikariConfig();
        hikariOverSpring.setDataSource(new DriverManagerDataSource(pgUrl));
        hikariOverSpring.setMaximumPoolSize(2);
        hikariOverSpring.setConnectionInitSql("SELECT 'hikari-over-spring-init'");
        kinds.put("hikari-over-spring", new HikariDataSource(hikariOverSpring));

        // c3p0: its pool opens its connections with a DataSource of its own package on its helper threads; that
        // DataSource used on its own is an unpooled DataSource of the application's
        ComboPooledDataSource c3p0 = new ComboPooledDataSource();
        c3p0.setJdbcUrl(pgUrl);
        c3p0.setInitialPoolSize(1);
        c3p0.setMinPoolSize(1);
        c3p0.setMaxPoolSize(2);
        c3p0.setPreferredTestQuery("SELECT 'c3p0-validation'");
        c3p0.setTestConnectionOnCheckout(true);
        kinds.put("mchange-pooled", c3p0);
        kinds.put("mchange-unpooled", DataSources.unpooledDataSource(pgUrl));

        // Druid: its getConnection() returns its own DruidPooledConnection, reached through the bridge javac adds
        DruidDataSource druid = new DruidDataSource();
        druid.setUrl(pgUrl);
        druid.setInitialSize(1);
        druid.setMaxActive(2);
        druid.setValidationQuery("SELECT 'druid-validation'");
        druid.setTestOnBorrow(true);
        druid.setConnectionInitSqls(java.util.List.of("SELECT 'druid-init'"));
        druid.init();
        kinds.put("druid", druid);

        // Agroal, with its own validation on every checkout and init SQL on every new connection
        kinds.put("agroal", AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool.initialSize(1).minSize(1).maxSize(2).validateOnBorrow(true)
                        .connectionValidator(AgroalConnectionPoolConfiguration.ConnectionValidator.defaultValidator())
                        .connectionFactoryConfiguration(factory -> factory.jdbcUrl(pgUrl)
                                .initialSql("SELECT 'agroal-init'")))));

        // Vibur, with a validation query and init SQL
        ViburDBCPDataSource vibur = new ViburDBCPDataSource();
        vibur.setJdbcUrl(pgUrl);
        vibur.setUsername("postgres");
        vibur.setPassword("");
        vibur.setPoolInitialSize(1);
        vibur.setPoolMaxSize(2);
        vibur.setTestConnectionQuery("SELECT 'vibur-validation'");
        vibur.setConnectionIdleLimitInSeconds(0);
        vibur.setInitSQL("SELECT 'vibur-init'");
        vibur.start();
        kinds.put("vibur", vibur);

        // lazy and transaction-aware proxies: their target's connection is wrapped once, when it is fetched
        kinds.put("lazy-over-hikari", new LazyConnectionDataSourceProxy(hikari));
        kinds.put("txaware-over-dbcp2", new TransactionAwareDataSourceProxy(dbcp2));

        // a routing DataSource over two pools: wrapped once, at the router
        AbstractRoutingDataSource routing = new AbstractRoutingDataSource() {
            @Override
            protected Object determineCurrentLookupKey() {
                return "tomcat";
            }
        };
        routing.setTargetDataSources(Map.of("tomcat", tomcat, "dbcp2", dbcp2));
        routing.afterPropertiesSet();
        kinds.put("routing", routing);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                DataSource ds = kinds.get(req.getPathInfo().substring(1));
                if (ds == null) {
                    resp.sendError(404);
                    return;
                }
                int rows = 0;
                try (Connection c = ds.getConnection()) {
                    for (int i = 1; i <= STATEMENTS; i++) {
                        try (PreparedStatement ps = c.prepareStatement("SELECT ? + 1 AS n")) {
                            ps.setInt(1, i);
                            EXECUTED.incrementAndGet();
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                rows += rs.getInt(1);
                            }
                        }
                    }
                } catch (SQLException e) {
                    throw new IOException(e);
                }
                resp.setContentType("text/plain");
                resp.getWriter().print("sum=" + rows + "\nclass=" + ds.getClass().getName() + "\n");
            }
        }), "/ds/*");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.getWriter().print("executed=" + EXECUTED.get() + "\n");
            }
        }), "/executed");

        // warm every pool up outside any request: their init SQL runs now, on their own threads or this one
        for (Map.Entry<String, DataSource> e : kinds.entrySet()) {
            try (Connection c = e.getValue().getConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
                EXECUTED.incrementAndGet();
            }
        }

        Server server = new Server(port);
        server.setHandler(context);
        server.start();
        System.out.println("DataSourcesApp READY on port " + port + " (java " + System.getProperty("java.version")
                + "): " + String.join(",", kinds.keySet()));
        server.join();
    }
}
