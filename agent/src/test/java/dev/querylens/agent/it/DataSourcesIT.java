package dev.querylens.agent.it;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One endpoint per DataSource implementation (HikariCP, DBCP2, Tomcat JDBC, c3p0, Druid, Agroal, Vibur, PostgreSQL's
 * and H2's own DataSources, Spring's and c3p0's DriverManagerDataSource, a pool over a DataSource, lazy,
 * transaction-aware and routing DataSources), each running three statements: the agent counts exactly three for each, keeps each DataSource's class, and counts
 * none of the pools' own init or validation SQL.
 */
@ExtendWith(DumpLogsOnFailure.class)
class DataSourcesIT {

    static final Map<String, String> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("hikari", "com.zaxxer.hikari.HikariDataSource");
        KINDS.put("dbcp2", "org.apache.commons.dbcp2.BasicDataSource");
        KINDS.put("tomcat-jdbc", "org.apache.tomcat.jdbc.pool.DataSource");
        KINDS.put("pgsimple", "org.postgresql.ds.PGSimpleDataSource");
        KINDS.put("h2", "org.h2.jdbcx.JdbcDataSource");
        KINDS.put("spring-drivermanager", "org.springframework.jdbc.datasource.DriverManagerDataSource");
        KINDS.put("hikari-over-spring", "com.zaxxer.hikari.HikariDataSource");
        // c3p0's, by its vendor's name: a path segment with two digits in it would be templated as an id
        KINDS.put("mchange-pooled", "com.mchange.v2.c3p0.ComboPooledDataSource");
        KINDS.put("mchange-unpooled", "com.mchange.v2.c3p0.DriverManagerDataSource");
        KINDS.put("druid", "com.alibaba.druid.pool.DruidDataSource");
        KINDS.put("agroal", "io.agroal.pool.DataSource");
        KINDS.put("vibur", "org.vibur.dbcp.ViburDBCPDataSource");
        KINDS.put("lazy-over-hikari", "org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy");
        KINDS.put("txaware-over-dbcp2", "org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy");
        KINDS.put("routing", "dev.querylens.testapps.datasources.DataSourcesApp$1");
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void everyDataSourceCountsEachStatementOnce(Jdk jdk) throws Exception {
        int appPort = ChildJvm.freePort();
        int metricsPort = ChildJvm.freePort();
        try (ChildJvm app = ChildJvm.start("datasources-" + jdk, jdk,
                List.of(ChildJvm.javaagent("prometheus.port=" + metricsPort + ",explain.enabled=false")),
                ChildJvm.appClassPath("datasources-app.classpath"), "dev.querylens.testapps.datasources.DataSourcesApp",
                List.of(String.valueOf(appPort), ChildJvm.POSTGRES_URL))) {
            app.awaitOutput("DataSourcesApp READY", Duration.ofSeconds(60));
            String base = "http://127.0.0.1:" + appPort;
            for (int round = 0; round < 2; round++) {
                for (Map.Entry<String, String> kind : KINDS.entrySet()) {
                    String body = ChildJvm.get(base + "/ds/" + kind.getKey());
                    assertEquals("sum=9\nclass=" + kind.getValue() + "\n", body, kind.getKey());
                }
            }
            long executed = Long.parseLong(ChildJvm.get(base + "/executed").trim().substring("executed=".length()));
            assertEquals(KINDS.size() * (1 + 2 * 3), executed);

            String metrics = ChildJvm.poll("http://127.0.0.1:" + metricsPort + "/metrics", body -> {
                Prometheus p = Prometheus.parse(body);
                return KINDS.keySet().stream().allMatch(k -> p.sumFor("querylens_request_statements_count", "GET /ds/" + k) == 2);
            }, Duration.ofSeconds(30), "every endpoint's units of work");
            Prometheus p = Prometheus.parse(metrics);
            for (String kind : KINDS.keySet()) {
                assertEquals(6.0, p.sumFor("querylens_statements_total", "GET /ds/" + kind), kind + "\n" + metrics);
            }
            // the warm-up statements, one per DataSource, outside any request; nothing else, no pool SQL
            assertEquals((double) KINDS.size(), p.sumFor("querylens_statements_total", "none"), metrics);
            assertEquals((double) executed, p.sum("querylens_statements_total", s -> true), metrics);
            assertEquals(0.0, p.sum("querylens_internal_errors_total", s -> true), metrics);
            assertFalse(app.output().contains("could not instrument"), "no transform errors");
            assertTrue(app.output().contains("[querylens] agent"), "the agent started");
        }
    }
}
