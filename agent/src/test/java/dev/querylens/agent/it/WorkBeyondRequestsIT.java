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
 * started with the agent on each JDK, with the starter, and with both (the agent steps aside). SQL handed to other
 * threads counts in the request that handed it over ({@code @Async}, {@code CompletableFuture.supplyAsync} on an
 * executor, 16 tasks of 50 statements on a pool; with the agent also a parallel stream, a {@code RecursiveTask} and
 * 16 fork/join subtasks of 50 statements), a task's SQL after its request ended counts under {@code none}, a thread
 * started by hand carries nothing, and a {@code @Scheduled} job, a Quartz job and a {@code @RabbitListener} on this
 * machine's RabbitMQ are units of their own. Each has an N+1 (a query per author, 7 statements), found under the
 * unit's name.
 */
@ExtendWith(DumpLogsOnFailure.class)
class WorkBeyondRequestsIT {

    static final String MAIN = "dev.querylens.testapps.work.WorkApplication";
    static final int REPORT = 7;
    static final String NONE = "none";
    static final String QUARTZ = "SCHEDULED ArchiveJob.execute";

    enum Mode {
        AGENT(Jdk.DEFAULT, true, false),
        AGENT_JDK25(Jdk.JDK25, true, false),
        STARTER(Jdk.DEFAULT, false, true),
        /** The agent attached to the application with the starter: it steps aside, the starter counts, once. */
        AGENT_AND_STARTER(Jdk.DEFAULT, true, true);

        final Jdk jdk;
        final boolean agent;
        final boolean starter;

        Mode(Jdk jdk, boolean agent, boolean starter) {
            this.jdk = jdk;
            this.agent = agent;
            this.starter = starter;
        }

        /** The agent instruments and counts: fork/join tasks and the Kafka and JMS listener adapters. */
        boolean agentCounts() {
            return agent && !starter;
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
        // work for the common pool's workers to steal on a machine of two cores (the default is one worker)
        jvmArgs.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=4");
        if (mode.agent) {
            jvmArgs.add(ChildJvm.javaagent(null));
            jvmArgs.add("-Dquerylens.prometheus.port=" + metricsPort);
        }
        try (ChildJvm app = ChildJvm.start("work-" + mode.name().toLowerCase(Locale.ROOT), mode.jdk, jvmArgs,
                ChildJvm.appClassPath(mode.starter ? "work-starter-app.classpath" : "work-app.classpath"), MAIN,
                List.of("--spring.config.name=work", "--server.port=" + appPort, "--work.queue=" + queue))) {
            app.awaitOutput("WorkApplication READY", Duration.ofSeconds(120));
            String base = "http://127.0.0.1:" + appPort;
            String agentMetrics = "http://127.0.0.1:" + metricsPort + "/metrics";
            String metrics = mode.starter ? base + "/actuator/prometheus" : agentMetrics;
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
            assertEquals("started", ChildJvm.get(base + "/quartz/start"));
            if (mode.agentCounts()) {
                assertEquals("2", ChildJvm.get(base + "/listeners/simulate"));
                // fork/join tasks: each answer says how many pool workers ran statements, so the work left the
                // request thread and would count under none if the unit were not carried
                for (String path : List.of("/reports/parallel", "/reports/recursive")) {
                    String[] answer = ChildJvm.get(base + path).split(" ");
                    assertEquals(2, answer.length, path + ": " + String.join(" ", answer));
                    assertEquals("12", answer[0], path);
                    assertTrue(Integer.parseInt(answer[1]) >= 1, path + " ran on no pool worker");
                }
                String[] fanout = ChildJvm.get(base + "/reports/forkjoin-fanout").split(" ");
                assertEquals(String.valueOf(1 + 16 * 50), fanout[0]);
                assertTrue(Integer.parseInt(fanout[1]) >= 1, "the fork/join fan-out ran on no pool worker");
                assertEquals("started", ChildJvm.get(base + "/reports/forked-detached"));
                assertEquals("released", ChildJvm.get(base + "/reports/forked-release"));
            }

            String scrape = ChildJvm.poll(metrics, body -> {
                Prometheus p = Prometheus.parse(body);
                // a scrape is not atomic: wait until every meter read below shows the units' end
                return p.sumFor("querylens_request_statements_count", message) == 2
                        && p.sumFor("querylens_statements_total", message) == 2 * REPORT
                        && p.sumFor("querylens_nplusone_total", scheduled) == 2
                        && p.sumFor("querylens_request_statements_sum", scheduled) == 2 * REPORT
                        && p.sumFor("querylens_nplusone_total", QUARTZ) == 2
                        && p.sumFor("querylens_statements_total", QUARTZ) == 2 * REPORT;
            }, Duration.ofSeconds(60), "the listener's and the scheduled job's units");
            Prometheus p = Prometheus.parse(scrape);

            // handed to other threads: counted in the request, the N+1 found there
            for (String endpoint : List.of("GET /reports/async", "GET /reports/supply")) {
                assertOneReport(p, scrape, endpoint);
            }
            // 16 tasks of 50 statements on the pool: exactly 800 more than the request's own one
            assertEquals(801.0, p.sumFor("querylens_request_statements_sum", "GET /reports/fanout"), scrape);
            assertEquals(801.0, p.sumFor("querylens_statements_total", "GET /reports/fanout"), scrape);
            // the task that outlived its request: 3 statements before the request ended, the 5 after under none,
            // never in the published unit nor in the request that let it go on
            assertOutlived(p, scrape, "GET /reports/detached", "GET /reports/release");
            // a thread started by hand carries nothing
            assertEquals(0.0, p.sumFor("querylens_statements_total", "GET /reports/thread"), scrape);
            assertFalse(p.has("querylens_nplusone_total", "GET /reports/thread"), scrape);
            // the task's 5 after its request, the thread's 7; with the agent, the forked task's 5 after its request
            assertEquals(noneBefore + 5 + REPORT + (mode.agentCounts() ? 5 : 0),
                    p.sumFor("querylens_statements_total", NONE), scrape);

            // units of their own: one per message, one per scheduled run (named by the class behind the proxy)
            assertEquals(2 * REPORT, p.sumFor("querylens_request_statements_sum", message), scrape);
            assertEquals(2 * REPORT, p.sumFor("querylens_statements_total", message), scrape);
            assertEquals(2.0, p.sumFor("querylens_nplusone_total", message), scrape);
            assertEquals(2 * REPORT, p.sumFor("querylens_request_statements_sum", scheduled), scrape);
            assertTrue(p.sumFor("querylens_request_statements_count", scheduled) >= 2, scrape);
            assertFalse(scrape.contains("SpringCGLIB"), scrape);
            // a Quartz job on Spring Boot's scheduler: one unit per run, in every mode, counted once
            assertEquals(2.0, p.sumFor("querylens_request_statements_count", QUARTZ), scrape);
            assertEquals(2 * REPORT, p.sumFor("querylens_request_statements_sum", QUARTZ), scrape);
            assertEquals(2 * REPORT, p.sumFor("querylens_statements_total", QUARTZ), scrape);
            assertEquals(2.0, p.sumFor("querylens_nplusone_total", QUARTZ), scrape);
            if (mode.agentCounts()) {
                // Spring Kafka's and Spring JMS's listener adapters (no broker here)
                for (String unit : List.of("MESSAGE orders.kafka", "MESSAGE orders.jms")) {
                    assertEquals(REPORT, p.sumFor("querylens_statements_total", unit), unit + "\n" + scrape);
                    assertEquals(1.0, p.sumFor("querylens_nplusone_total", unit), unit + "\n" + scrape);
                }
                // fork/join tasks: the N+1 of a parallel stream and of a RecursiveTask found in their requests, and
                // 16 subtasks of 50 statements counted exactly
                for (String endpoint : List.of("GET /reports/parallel", "GET /reports/recursive")) {
                    assertOneReport(p, scrape, endpoint);
                }
                assertEquals(801.0, p.sumFor("querylens_request_statements_sum", "GET /reports/forkjoin-fanout"), scrape);
                assertEquals(801.0, p.sumFor("querylens_statements_total", "GET /reports/forkjoin-fanout"), scrape);
                // the forked task that outlived its request: 3 statements in it, the 5 after under none
                assertOutlived(p, scrape, "GET /reports/forked-detached", "GET /reports/forked-release");
            }
            if (mode.agent && mode.starter) {
                // the agent stepped aside: none of its meters counted a unit the starter counted
                Prometheus own = Prometheus.parse(ChildJvm.get(agentMetrics));
                assertFalse(own.has("querylens_statements_total", QUARTZ), agentMetrics);
                assertFalse(own.has("querylens_statements_total", scheduled), agentMetrics);
            }
            assertEquals(0.0, p.sum("querylens_internal_errors_total", s -> true), scrape);

            String out = app.output();
            assertTrue(out.contains("[querylens] N+1 in GET /reports/async"), "the finding's WARN line");
            assertTrue(out.contains("[querylens] N+1 in " + scheduled), "the finding's WARN line");
            assertFalse(out.contains("could not instrument"), "no transform errors");
            if (mode.agent && mode.starter) {
                assertTrue(out.contains("the agent steps aside"), "the agent's line");
            }
        }
    }

    /** One request whose report (an N+1 of 7 statements) ran on other threads: all counted in it, the N+1 found. */
    private static void assertOneReport(Prometheus p, String scrape, String endpoint) {
        assertEquals(1.0, p.sumFor("querylens_request_statements_count", endpoint), endpoint + "\n" + scrape);
        assertEquals(REPORT, p.sumFor("querylens_request_statements_sum", endpoint), endpoint + "\n" + scrape);
        assertEquals(REPORT, p.sumFor("querylens_statements_total", endpoint), endpoint + "\n" + scrape);
        assertEquals(1.0, p.sumFor("querylens_nplusone_total", endpoint), endpoint + "\n" + scrape);
    }

    /**
     * A task that outlived its request: its 3 statements before the request ended are in it; the 5 after are never in
     * the published unit, nor in the request that let the task go on.
     */
    private static void assertOutlived(Prometheus p, String scrape, String request, String release) {
        assertEquals(1.0, p.sumFor("querylens_request_statements_count", request), request + "\n" + scrape);
        assertEquals(3.0, p.sumFor("querylens_request_statements_sum", request), request + "\n" + scrape);
        assertEquals(3.0, p.sumFor("querylens_statements_total", request), request + "\n" + scrape);
        assertEquals(0.0, p.sumFor("querylens_statements_total", release), release + "\n" + scrape);
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
