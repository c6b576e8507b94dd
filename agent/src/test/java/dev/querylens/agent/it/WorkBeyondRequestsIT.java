package dev.querylens.agent.it;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Units of work beyond the request thread, the same in every mode: a Spring Boot 4 application (WorkApplication)
 * started once with the agent on each JDK and once with the starter. SQL handed to other threads counts in the
 * request that handed it over ({@code @Async}, {@code CompletableFuture.supplyAsync} on an executor, 16 tasks of 50
 * statements on a pool), a task's SQL after its request ended counts under {@code none}, a thread started by hand
 * carries nothing, and a {@code @Scheduled} job and a {@code @RabbitListener} on this machine's RabbitMQ are units of
 * their own. Each has an N+1 (a query per author, 7 statements), found under the unit's name.
 */
@ExtendWith(DumpLogsOnFailure.class)
class WorkBeyondRequestsIT {

    static final String MAIN = "dev.querylens.testapps.work.WorkApplication";
    static final int REPORT = 7;
    static final String NONE = "none";
    static final String QUARTZ = "SCHEDULED ArchiveJob.execute";

    enum Mode {
        AGENT(Jdk.DEFAULT, true),
        AGENT_JDK25(Jdk.JDK25, true),
        STARTER(Jdk.DEFAULT, false);

        final Jdk jdk;
        final boolean agent;

        Mode(Jdk jdk, boolean agent) {
            this.jdk = jdk;
            this.agent = agent;
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void asyncScheduledAndListenerUnits(Mode mode) throws Exception {
        assertRabbitMqIsUp();
        int appPort = ChildJvm.freePort();
        int metricsPort = ChildJvm.freePort();
        // a queue of this run's own, so that runs sharing the broker never take each other's messages
        String queue = "querylens.orders." + letters(8);
        List<String> jvmArgs = new ArrayList<>();
        if (mode.agent) {
            jvmArgs.add(ChildJvm.javaagent(null));
            jvmArgs.add("-Dquerylens.prometheus.port=" + metricsPort);
        }
        try (ChildJvm app = ChildJvm.start("work-" + mode.name().toLowerCase(Locale.ROOT), mode.jdk, jvmArgs,
                ChildJvm.appClassPath(mode.agent ? "work-app.classpath" : "work-starter-app.classpath"), MAIN,
                List.of("--spring.config.name=work", "--server.port=" + appPort, "--work.queue=" + queue))) {
            app.awaitOutput("WorkApplication READY", Duration.ofSeconds(120));
            String base = "http://127.0.0.1:" + appPort;
            String metrics = mode.agent ? "http://127.0.0.1:" + metricsPort + "/metrics" : base + "/actuator/prometheus";
            String message = "MESSAGE " + queue;
            String scheduled = "SCHEDULED NightlyReport.run";

            // statements at start-up (schema, sample rows) and in between count under none: read them first
            double noneBefore = Prometheus.parse(ChildJvm.get(metrics)).sumFor("querylens_statements_total", NONE);

            assertEquals("12", ChildJvm.get(base + "/reports/async"));
            assertEquals("12", ChildJvm.get(base + "/reports/supply"));
            assertEquals(String.valueOf(6 + 16 * 50 * 6), ChildJvm.get(base + "/reports/fanout"));
            assertEquals("started", ChildJvm.get(base + "/reports/detached"));
            assertEquals("released", ChildJvm.get(base + "/reports/release"));
            assertEquals("12", ChildJvm.get(base + "/reports/thread"));
            assertEquals("2", ChildJvm.get(base + "/orders/publish?count=2"));
            if (mode.agent) {
                assertEquals("2", ChildJvm.get(base + "/listeners/simulate"));
                assertEquals("started", ChildJvm.get(base + "/quartz/start"));
            }

            String scrape = ChildJvm.poll(metrics, body -> {
                Prometheus p = Prometheus.parse(body);
                // a scrape is not atomic: wait until every meter read below shows the units' end
                return p.sumFor("querylens_request_statements_count", message) == 2
                        && p.sumFor("querylens_statements_total", message) == 2 * REPORT
                        && p.sumFor("querylens_nplusone_total", scheduled) == 2
                        && p.sumFor("querylens_request_statements_sum", scheduled) == 2 * REPORT
                        && (!mode.agent || p.sumFor("querylens_nplusone_total", QUARTZ) == 2
                        && p.sumFor("querylens_statements_total", QUARTZ) == 2 * REPORT);
            }, Duration.ofSeconds(60), "the listener's and the scheduled job's units");
            Prometheus p = Prometheus.parse(scrape);

            // handed to other threads: counted in the request, the N+1 found there
            for (String endpoint : List.of("GET /reports/async", "GET /reports/supply")) {
                assertEquals(1.0, p.sumFor("querylens_request_statements_count", endpoint), endpoint + "\n" + scrape);
                assertEquals(REPORT, p.sumFor("querylens_request_statements_sum", endpoint), endpoint + "\n" + scrape);
                assertEquals(REPORT, p.sumFor("querylens_statements_total", endpoint), endpoint + "\n" + scrape);
                assertEquals(1.0, p.sumFor("querylens_nplusone_total", endpoint), endpoint + "\n" + scrape);
            }
            // 16 tasks of 50 statements on the pool: exactly 800 more than the request's own one
            assertEquals(801.0, p.sumFor("querylens_request_statements_sum", "GET /reports/fanout"), scrape);
            assertEquals(801.0, p.sumFor("querylens_statements_total", "GET /reports/fanout"), scrape);
            // the task that outlived its request: 3 statements before the request ended, the 5 after under none,
            // never in the published unit nor in the request that let it go on
            assertEquals(1.0, p.sumFor("querylens_request_statements_count", "GET /reports/detached"), scrape);
            assertEquals(3.0, p.sumFor("querylens_request_statements_sum", "GET /reports/detached"), scrape);
            assertEquals(3.0, p.sumFor("querylens_statements_total", "GET /reports/detached"), scrape);
            assertEquals(0.0, p.sumFor("querylens_statements_total", "GET /reports/release"), scrape);
            // a thread started by hand carries nothing
            assertEquals(0.0, p.sumFor("querylens_statements_total", "GET /reports/thread"), scrape);
            assertFalse(p.has("querylens_nplusone_total", "GET /reports/thread"), scrape);
            assertEquals(noneBefore + 5 + REPORT, p.sumFor("querylens_statements_total", NONE), scrape);

            // units of their own: one per message, one per scheduled run (named by the class behind the proxy)
            assertEquals(2 * REPORT, p.sumFor("querylens_request_statements_sum", message), scrape);
            assertEquals(2 * REPORT, p.sumFor("querylens_statements_total", message), scrape);
            assertEquals(2.0, p.sumFor("querylens_nplusone_total", message), scrape);
            assertEquals(2 * REPORT, p.sumFor("querylens_request_statements_sum", scheduled), scrape);
            assertTrue(p.sumFor("querylens_request_statements_count", scheduled) >= 2, scrape);
            assertFalse(scrape.contains("SpringCGLIB"), scrape);
            if (mode.agent) {
                // Spring Kafka's and Spring JMS's listener adapters (no broker here), and a Quartz job
                for (String unit : List.of("MESSAGE orders.kafka", "MESSAGE orders.jms")) {
                    assertEquals(REPORT, p.sumFor("querylens_statements_total", unit), unit + "\n" + scrape);
                    assertEquals(1.0, p.sumFor("querylens_nplusone_total", unit), unit + "\n" + scrape);
                }
                assertEquals(2 * REPORT, p.sumFor("querylens_statements_total", QUARTZ), scrape);
            }
            assertEquals(0.0, p.sum("querylens_internal_errors_total", s -> true), scrape);

            String out = app.output();
            assertTrue(out.contains("[querylens] N+1 in GET /reports/async"), "the finding's WARN line");
            assertTrue(out.contains("[querylens] N+1 in " + scheduled), "the finding's WARN line");
            assertFalse(out.contains("could not instrument"), "no transform errors");
        }
    }

    /** Fails, never skips, when the broker is down: the listener is part of the contract. */
    static void assertRabbitMqIsUp() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 5672), 3_000);
        } catch (IOException e) {
            fail("RabbitMQ is not reachable at 127.0.0.1:5672 (" + e.getMessage() + "); this test consumes from it. "
                    + "Start it with: rabbitmq-server -detached");
        }
    }

    private static String letters(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return sb.toString();
    }
}
