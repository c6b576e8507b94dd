package dev.querylens.agent.it;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Spring Boot 4 application (Spring MVC, JPA on H2, HikariCP, Actuator with Prometheus) started with the agent.
 */
@ExtendWith(DumpLogsOnFailure.class)
class SpringAppIT {

    static final String MAIN = "dev.querylens.testapps.spring.ShopApplication";
    static final String OWNERS = "GET /owners";
    static final String OWNER = "GET /owners/{ownerId}";
    static final String OWNERS_BODY = "[\"owner1:2\",\"owner2:2\",\"owner3:2\",\"owner4:2\",\"owner5:2\",\"owner6:2\"]";
    static final String OWNER1_BODY = "{\"name\":\"owner1\",\"pets\":[\"pet1a\",\"pet1b\"]}";

    /**
     * Route templates from Spring MVC become endpoint tags; the N+1 of a lazy collection is found; the agent's meters
     * also appear in the application's own /actuator/prometheus; the DataSource bean is still a HikariDataSource.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void routeTemplatesAndTheApplicationsOwnMicrometer(Jdk jdk) throws Exception {
        int appPort = ChildJvm.freePort();
        int metricsPort = ChildJvm.freePort();
        try (ChildJvm app = ChildJvm.start("spring-app-" + jdk, jdk,
                List.of(ChildJvm.javaagent(null), "-Dquerylens.prometheus.port=" + metricsPort),
                ChildJvm.appClassPath("spring-app.classpath"), MAIN,
                // one request thread: state a failed request left behind would show up in the next one
                List.of("--server.port=" + appPort, "--server.tomcat.threads.max=1", "--server.tomcat.threads.min-spare=1"))) {
            app.awaitOutput("ShopApplication READY", Duration.ofSeconds(120));
            String base = "http://127.0.0.1:" + appPort;
            for (int i = 0; i < 2; i++) {
                assertEquals(500, ChildJvm.status(base + "/boom"));
            }
            exerciseShop(base);

            String pool = ChildJvm.get(base + "/pool");
            assertTrue(pool.contains("\"dataSourceClass\":\"com.zaxxer.hikari.HikariDataSource\""), pool);
            assertTrue(pool.contains("\"unwrapSame\":true"), pool);
            assertTrue(pool.contains("\"poolName\":\"shop-pool\""), pool);
            assertTrue(pool.contains("\"connectionValid\":true"), pool);
            assertTrue(pool.contains("\"connectionUnwrapsToH2\":true"), pool);
            String health = ChildJvm.get(base + "/actuator/health");
            assertTrue(health.endsWith("\"status\":\"UP\"}") && health.contains("\"db\":{\"details\":{\"database\":\"H2\""), health);

            String agentMetrics = ChildJvm.poll("http://127.0.0.1:" + metricsPort + "/metrics",
                    body -> Prometheus.parse(body).sumFor("querylens_request_statements_count", OWNER) == 2
                            && Prometheus.parse(body).sumFor("querylens_request_statements_count", OWNERS) == 2
                            && Prometheus.parse(body).sumFor("querylens_request_statements_count", "GET /boom") == 2,
                    Duration.ofSeconds(30), "both endpoints' units of work");
            Prometheus agent = Prometheus.parse(agentMetrics);
            assertEquals(2.0, agent.sumFor("querylens_statements_total", OWNER), agentMetrics);
            // the failing requests were units of their own, ended on the exception path
            assertEquals(2.0, agent.sumFor("querylens_request_statements_count", "GET /boom"), agentMetrics);
            assertEquals(2.0, agent.sumFor("querylens_statements_total", "GET /boom"), agentMetrics);
            assertEquals(2.0, agent.sumFor("querylens_nplusone_total", OWNERS), agentMetrics);
            assertFalse(agent.has("querylens_nplusone_total", OWNER), agentMetrics);
            assertTrue(agent.has("querylens_request_statements_count", "GET /pool"), agentMetrics);
            assertEquals(0.0, agent.sum("querylens_internal_errors_total", s -> true), agentMetrics);
            // no raw path became an endpoint
            assertFalse(agentMetrics.contains("endpoint=\"GET /owners/1\""), agentMetrics);

            assertBridged(base, agent);
            String out = app.output();
            assertTrue(out.contains("[querylens] N+1 in " + OWNERS), "the finding's WARN line");
            assertFalse(out.contains("could not instrument"), "no transform errors");
            assertFalse(out.contains("could not mirror"), "no bridge errors");
            assertAgentThreads(app, jdk, metricsPort);
        }
    }

    /**
     * After the requests above (whose SELECTs were sampled), the agent runs one thread: its metrics endpoint, whose
     * loop took the samples itself, as the shop's pool is a plain HikariCP pool (its borrow bounded by HikariCP's
     * own timeout); no EXPLAIN worker, no borrowing thread, and the Micrometer bridge has none.
     */
    private static void assertAgentThreads(ChildJvm app, Jdk jdk, int metricsPort) throws Exception {
        ChildJvm.poll("http://127.0.0.1:" + metricsPort + "/metrics",
                body -> Prometheus.parse(body).sum("querylens_explain_total", s -> true) >= 2,
                Duration.ofSeconds(30), "samples explained");
        // a worker would live on for 5 s after the samples just taken
        assertEquals(List.of("querylens-metrics"), app.threads(jdk, "querylens"), "the agent's threads");
    }

    /** The threads the agent may have with its metrics endpoint on: the endpoint's and the EXPLAIN worker. */
    private static final List<String> AGENT_THREADS = List.of("querylens-metrics", "querylens-explain");

    /**
     * A borrow that waits (the shop's pool hangs every fourth connection the sampler asks for, {@code
     * app.explain-faults}): the EXPLAIN worker waits in the pool itself while the endpoint's loop watches the
     * deadline, so the agent has two threads, not three; at the deadline the worker is interrupted out of the pool
     * and samples again.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void twoThreadsWhileASampleWaitsForItsConnection(Jdk jdk) throws Exception {
        int appPort = ChildJvm.freePort();
        int metricsPort = ChildJvm.freePort();
        try (ChildJvm app = ChildJvm.start("spring-borrow-" + jdk, jdk,
                List.of(ChildJvm.javaagent(null), "-Dquerylens.prometheus.port=" + metricsPort,
                        "-Dquerylens.explain.interval=0", "-Dquerylens.explain.max-per-minute=10000",
                        "-Dquerylens.explain.connection-timeout=8s"),
                ChildJvm.appClassPath("spring-app.classpath"), MAIN,
                List.of("--server.port=" + appPort, "--app.explain-faults=true"))) {
            app.awaitOutput("ShopApplication READY", Duration.ofSeconds(120));
            String base = "http://127.0.0.1:" + appPort;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!app.output().contains("FAULT injected: HANG")) {
                assertTrue(System.nanoTime() < deadline, "no sample met the hanging pool");
                exerciseShop(base);
            }
            String dump = app.threadDump(jdk);
            List<String> threads = ChildJvm.threads(dump, "querylens");
            // the hang lasts the 8 s connection timeout: the dump was taken while the sampler waited in the pool
            assertTrue(dump.contains("FaultyDataSource.getConnection"), "no sampler thread waiting in the pool:\n" + dump);
            assertTrue(threads.size() <= 2 && AGENT_THREADS.containsAll(threads), "the agent's threads: " + threads);
            assertTrue(threads.contains("querylens-explain"), "the worker waits in the pool itself: " + threads);
            // interrupted at the deadline, long before the pool's 30 s: the worker samples again
            deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
            while (count(app.output(), "FAULT injected: GET_CONNECTION") < 2) {
                assertTrue(System.nanoTime() < deadline, "the worker was not freed from the hanging pool");
                exerciseShop(base);
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }

    /**
     * The same application with conflicting libraries first on its class path (Byte Buddy 1.14, datasource-proxy
     * 1.9, and Spring Boot's Micrometer 1.16 against the agent's 1.15), a bad configuration value, and the agent's
     * metrics port already taken: it serves its requests as it would without the agent, each problem is one
     * [querylens] line, and the agent's meters still reach the application's /actuator/prometheus.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void conflictingLibrariesBadConfigAndATakenPort(Jdk jdk) throws Exception {
        int appPort = ChildJvm.freePort();
        Path conflicts = ChildJvm.APPS_DIR.resolve("conflict-libs");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int metricsPort = taken.getLocalPort();
            List<String> jvmArgs = new ArrayList<>();
            jvmArgs.add(ChildJvm.javaagent("nplusone.threshold=banana,prometheus.port=" + metricsPort));
            jvmArgs.add("-Dquerylens.log.finding-interval=soon");
            try (ChildJvm app = ChildJvm.start("spring-conflicts-" + jdk, jdk, jvmArgs,
                    ChildJvm.appClassPath("spring-app.classpath", conflicts.resolve("byte-buddy-1.14.18.jar"),
                            conflicts.resolve("datasource-proxy-1.9.jar")),
                    MAIN, List.of("--server.port=" + appPort, "--app.conflicts=true"))) {
                app.awaitOutput("ShopApplication READY", Duration.ofSeconds(120));
                String base = "http://127.0.0.1:" + appPort;
                exerciseShop(base);

                String own = ChildJvm.get(base + "/conflicts");
                assertTrue(own.contains("\"byteBuddyJar\":\"byte-buddy-1.14.18.jar\""), own);
                assertTrue(own.contains("\"byteBuddyResult\":\"made by the application's Byte Buddy\""), own);
                assertTrue(own.contains("\"datasourceProxyJar\":\"datasource-proxy-1.9.jar\""), own);
                assertTrue(own.contains("\"datasourceProxyQueries\":3"), own);
                assertTrue(own.contains("\"owners\":6"), own);
                assertTrue(own.contains("\"micrometerJar\":\"micrometer-core-1.16."), own);

                String out = app.output();
                assertEquals(1, count(out, "[querylens] configuration: querylens.nplusone.threshold='banana'"), out);
                assertEquals(1, count(out, "[querylens] configuration: querylens.log.finding-interval='soon'"), out);
                assertEquals(1, count(out, "[querylens] metrics endpoint not started: 127.0.0.1:" + metricsPort
                        + " is already in use"), out);

                // the agent's meters still reach the application's own scrape, and with the default threshold (5)
                // the lazy loop (6 owners) is still an N+1
                String scrape = ChildJvm.poll(base + "/actuator/prometheus",
                        body -> Prometheus.parse(body).sumFor("querylens_statements_total", OWNER) == 2
                                && Prometheus.parse(body).sumFor("querylens_nplusone_total", OWNERS) == 2,
                        Duration.ofSeconds(30), "the agent's meters in the application's Micrometer");
                Prometheus p = Prometheus.parse(scrape);
                assertEquals(14.0, p.sumFor("querylens_statements_total", OWNERS), scrape);
                assertEquals(2.0, p.sumFor("querylens_request_statements_count", OWNERS), scrape);
                // the application's own datasource-proxy is not mistaken for Querylens's: its statements count
                assertEquals(3.0, p.sumFor("querylens_statements_total", "GET /conflicts"), scrape);
                assertFalse(scrape.contains("endpoint=\"GET /actuator"), "the scrapes themselves are not endpoints: " + scrape);
                assertFalse(out.contains("could not instrument"), "no transform errors");
            }
        }
    }

    /**
     * The agent attached to an application that also has the Querylens starter: the agent steps aside (one line),
     * so each request is one unit of work and each statement is counted once, by the starter.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void withTheStarterTooNothingIsCountedTwice(Jdk jdk) throws Exception {
        int appPort = ChildJvm.freePort();
        int metricsPort = ChildJvm.freePort();
        try (ChildJvm app = ChildJvm.start("spring-starter-" + jdk, jdk,
                List.of(ChildJvm.javaagent(null), "-Dquerylens.prometheus.port=" + metricsPort),
                ChildJvm.appClassPath("spring-starter-app.classpath"), MAIN, List.of("--server.port=" + appPort))) {
            app.awaitOutput("ShopApplication READY", Duration.ofSeconds(120));
            String base = "http://127.0.0.1:" + appPort;
            exerciseShop(base);
            String scrape = ChildJvm.poll(base + "/actuator/prometheus",
                    body -> Prometheus.parse(body).sumFor("querylens_request_statements_count", OWNER) >= 2
                            && Prometheus.parse(body).sumFor("querylens_request_statements_count", OWNERS) >= 2,
                    Duration.ofSeconds(30), "the starter's meters");
            Prometheus p = Prometheus.parse(scrape);
            assertEquals(2.0, p.sumFor("querylens_request_statements_count", OWNER), scrape);
            assertEquals(2.0, p.sumFor("querylens_statements_total", OWNER), scrape);
            assertEquals(2.0, p.sumFor("querylens_request_statements_count", OWNERS), scrape);
            assertEquals(14.0, p.sumFor("querylens_statements_total", OWNERS), scrape);
            assertEquals(2.0, p.sumFor("querylens_nplusone_total", OWNERS), scrape);
            String agentMetrics = ChildJvm.get("http://127.0.0.1:" + metricsPort + "/metrics");
            assertFalse(Prometheus.parse(agentMetrics).has("querylens_request_statements_count", OWNER), agentMetrics);
            assertEquals(1, count(app.output(), "the agent steps aside"), app.output());
        }
    }

    /** Two N+1 calls and two join calls, checking the application's answers. */
    private static void exerciseShop(String base) throws Exception {
        for (int i = 0; i < 2; i++) {
            assertEquals(OWNERS_BODY, ChildJvm.get(base + "/owners"));
            assertEquals(OWNER1_BODY, ChildJvm.get(base + "/owners/1"));
        }
    }

    /** The application's own /actuator/prometheus shows the agent's meters with the agent's values. */
    private static void assertBridged(String base, Prometheus agent) throws Exception {
        double statements = agent.sumFor("querylens_statements_total", OWNER);
        String scrape = ChildJvm.poll(base + "/actuator/prometheus",
                body -> Prometheus.parse(body).sumFor("querylens_statements_total", OWNER) == statements,
                Duration.ofSeconds(30), "the agent's meters in the application's Micrometer");
        Prometheus app = Prometheus.parse(scrape);
        assertEquals(agent.sumFor("querylens_nplusone_total", OWNERS), app.sumFor("querylens_nplusone_total", OWNERS), scrape);
        assertEquals(agent.sumFor("querylens_request_db_time_seconds_count", OWNER),
                app.sumFor("querylens_request_db_time_seconds_count", OWNER), scrape);
        assertEquals(agent.sumFor("querylens_request_statements_count", OWNER),
                app.sumFor("querylens_request_statements_count", OWNER), scrape);
        assertEquals(agent.sumFor("querylens_request_statements_sum", OWNER),
                app.sumFor("querylens_request_statements_sum", OWNER), scrape);
        // histogram buckets cross too: the twin is a real DistributionSummary / Timer with the same buckets
        assertTrue(app.has("querylens_request_statements_bucket", OWNER), scrape);
        for (String bucketed : List.of("querylens_request_statements_bucket", "querylens_request_db_time_seconds_bucket")) {
            for (Prometheus.Sample s : agent.samples(bucketed)) {
                if (OWNER.equals(s.label("endpoint"))) {
                    assertEquals(s.value(), app.sum(bucketed, x -> OWNER.equals(x.label("endpoint"))
                            && s.label("le").equals(x.label("le"))), bucketed + " le=" + s.label("le") + "\n" + scrape);
                }
            }
        }
        // the application's own meters are still there: pool metrics and its HTTP server metrics
        assertTrue(scrape.contains("hikaricp_connections{"), "Hikari's pool metrics");
        assertTrue(scrape.contains("http_server_requests_seconds_count{"), "Spring's request metrics");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
