package dev.querylens.agent.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Faults at Querylens's seams, in the Spring Boot shop with real HTTP and real JDBC: the application's responses are
 * those it gives without Querylens, and none of its requests fails. The shop's pool ({@code app.explain-faults},
 * FaultyDataSource in agent-test-apps) fails only for the EXPLAIN sampler's threads, one fault per borrow in turn:
 * {@code getConnection} throws, statements throw on prepare, rollback throws, {@code getConnection} hangs. The
 * application's meter registry throws when the N+1 counter is registered. In both modes the fault agent of
 * agent-test-apps (FaultAgent) makes Querylens's SQL fingerprinter throw on one of the shop's statements and its
 * statement listener throw on another; with the starter the application's own {@code StatementObserver} bean also
 * throws on every statement; with the agent the metrics port is taken and a configuration value is bad. Each
 * failure inside Querylens is counted in {@code querylens.internal.errors} and logged once per place. One
 * application start per mode, and one without Querylens, whose answers are the script's.
 */
@ExtendWith(DumpLogsOnFailure.class)
class FaultInjectionIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> FAULTS = List.of("GET_CONNECTION", "PREPARE", "ROLLBACK", "HANG");

    /**
     * The request script, and what the shop answers without Querylens: status, and the body where it holds no
     * timestamp ({@code null}: status only).
     */
    private static final Map<String, Response> SCRIPT = new LinkedHashMap<>();

    static {
        String owners = "[\"owner1:2\",\"owner2:2\",\"owner3:2\",\"owner4:2\",\"owner5:2\",\"owner6:2\"]";
        SCRIPT.put("GET /owners", new Response(200, owners));
        SCRIPT.put("GET /owners/1", new Response(200, "{\"name\":\"owner1\",\"pets\":[\"pet1a\",\"pet1b\"]}"));
        SCRIPT.put("GET /owners/4", new Response(200, "{\"name\":\"owner4\",\"pets\":[\"pet4a\",\"pet4b\"]}"));
        SCRIPT.put("GET /owners/async", new Response(200, owners));
        SCRIPT.put("GET /boom", new Response(500, null));
        SCRIPT.put("GET /legacy/owners/42", new Response(200, "owners=6"));
        SCRIPT.put("GET /legacy/missing/page", new Response(404, null));
        SCRIPT.put("POST /owners/3", new Response(405, null));
        SCRIPT.put("GET /no-such-page", new Response(404, null));
        // statements on which the fault agent makes Querylens's fingerprinter, then its statement listener, throw
        SCRIPT.put("GET /faults/fingerprint", new Response(200, "owners=6"));
        SCRIPT.put("GET /faults/listener", new Response(200, "pets=12"));
    }

    record Response(int status, String body) {
    }

    /** Where Querylens logs the fault agent's failures, in both modes: the fingerprinter's and the listener's. */
    private static final List<String> BOTH_MODES_PLACES = List.of("fingerprint", "statement");

    @Test
    void withoutQuerylensTheShopAnswersTheScript() throws Exception {
        try (ChildJvm app = start("faults-none", "spring-app.classpath", List.of())) {
            List<String> mismatches = new ArrayList<>();
            run(base(app), mismatches);
            assertEquals(List.of(), mismatches, "the script is not the shop's own answers");
            assertTrue(app.isAlive());
            assertFalse(app.output().contains("[querylens]"), app.output());
        }
    }

    @Test
    void starterWithFailingExplainConnections() throws Exception {
        try (ChildJvm app = start("faults-starter", "spring-starter-app.classpath", List.of())) {
            String base = base(app);
            serveAndSurviveEveryFault(app, base);
            for (String place : BOTH_MODES_PLACES) {
                assertLoggedOnce(app, place);
            }
            assertLoggedOnce(app, "statement-observer dev.querylens.testapps.spring.FaultyObserverConfiguration$ThrowingObserver");
            // the sampler met the faults, counted them, and the application did not see them
            String meters = ChildJvm.get(base + "/actuator/prometheus");
            Prometheus parsed = Prometheus.parse(meters);
            double failed = parsed.sum("querylens_explain_total", s -> !"ok".equals(s.label("outcome"))
                    && !"seqscan".equals(s.label("outcome")));
            assertTrue(failed >= FAULTS.size(), "every injected fault counted as a failed sample:\n" + meters);
            // the registry refused the N+1 counter: no such meter, the failure counted, the requests served
            assertTrue(parsed.sum("querylens_nplusone_total", s -> true) == 0.0, meters);
            // the registry, the fingerprinter and the listener once per script round; the observer per statement
            assertTrue(parsed.sum("querylens_internal_errors_total", s -> true) >= 3.0, meters);
        }
    }

    @Test
    void agentWithPortTakenBadConfigurationAndFailingExplainConnections() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> jvmArgs = List.of(ChildJvm.javaagent(null),
                    "-Dquerylens.prometheus.port=" + taken.getLocalPort(),
                    "-Dquerylens.explain.queue-size=none");
            try (ChildJvm app = start("faults-agent", "spring-app.classpath", jvmArgs)) {
                serveAndSurviveEveryFault(app, base(app));
                String out = app.output();
                assertTrue(out.contains("querylens.explain.queue-size='none' is not accepted"), out);
                assertTrue(out.contains("installed"), out);
                for (String place : BOTH_MODES_PLACES) {
                    assertLoggedOnce(app, place);
                }
                // the agent's port is taken: its meters are read where its bridge puts them, in the application's
                ChildJvm.poll(base(app) + "/actuator/prometheus",
                        m -> Prometheus.parse(m).sum("querylens_internal_errors_total", s -> true) >= 2.0,
                        Duration.ofSeconds(10), "the agent's internal errors in the application's meters");
            }
        }
    }

    private final Map<ChildJvm, String> bases = new LinkedHashMap<>();

    /** Exactly one WARN line for the failures caught at {@code place}, however many there were. */
    private static void assertLoggedOnce(ChildJvm app, String place) throws Exception {
        String out = app.output();
        String line = "internal error in " + place + " (";
        int lines = out.split(java.util.regex.Pattern.quote(line), -1).length - 1;
        assertEquals(1, lines, () -> "lines with '" + line + "' in:\n" + out);
    }

    private ChildJvm start(String name, String classPathFile, List<String> querylensArgs) throws Exception {
        int port = ChildJvm.freePort();
        // the fault agent first, so that its faults are in Querylens's classes before the agent loads them
        List<String> jvmArgs = new ArrayList<>();
        jvmArgs.add("-javaagent:" + ChildJvm.faultAgentJar());
        jvmArgs.addAll(querylensArgs);
        ChildJvm jvm = ChildJvm.start(name, Jdk.DEFAULT, jvmArgs, ChildJvm.appClassPath(classPathFile), SpringAppIT.MAIN,
                List.of("--server.port=" + port, "--server.address=127.0.0.1", "--app.explain-faults=true"));
        try {
            jvm.awaitOutput("ShopApplication READY", Duration.ofSeconds(120));
        } catch (Throwable t) {
            jvm.close();
            throw t;
        }
        bases.put(jvm, "http://127.0.0.1:" + port);
        return jvm;
    }

    private String base(ChildJvm jvm) {
        return bases.get(jvm);
    }

    /** The script, until the sampler has met every fault, then once more: every answer as without Querylens. */
    private void serveAndSurviveEveryFault(ChildJvm app, String base) throws Exception {
        List<String> mismatches = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int rounds = 0;
        while (!metEveryFault(app)) {
            if (System.nanoTime() > deadline) {
                fail("the EXPLAIN sampler did not meet every injected fault " + FAULTS + " within 30 s");
            }
            run(base, mismatches);
            rounds++;
            TimeUnit.MILLISECONDS.sleep(200); // between rounds, bounded by the deadline
        }
        run(base, mismatches);
        assertEquals(List.of(), mismatches, "answers that differ from the application's own");
        assertTrue(rounds >= 1);
        assertTrue(app.isAlive());
    }

    private static boolean metEveryFault(ChildJvm app) throws Exception {
        String out = app.output();
        return FAULTS.stream().allMatch(f -> out.contains("FAULT injected: " + f));
    }

    private static void run(String base, List<String> mismatches) throws Exception {
        for (Map.Entry<String, Response> step : SCRIPT.entrySet()) {
            String[] request = step.getKey().split(" ", 2);
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + request[1]))
                    .timeout(Duration.ofSeconds(30)).method(request[0], HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            Response expected = step.getValue();
            Response got = new Response(r.statusCode(), expected.body() == null ? null : r.body());
            if (!expected.equals(got)) {
                mismatches.add(step.getKey() + ": expected " + expected + ", got " + r.statusCode() + " " + r.body());
            }
        }
    }
}
