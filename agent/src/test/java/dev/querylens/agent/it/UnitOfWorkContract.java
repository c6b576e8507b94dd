package dev.querylens.agent.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every mode keeps: the same application, driven by the same traffic, gives the same endpoint names,
 * counts and findings whether Querylens runs through the core API, the Spring Boot starter or the agent. Each mode
 * is a subclass whose only job is {@link #start()}: an application serving {@link ContractApp the shop's routes}.
 * The application starts once per mode; {@link #traffic()} is sent once; each test then reads the meters.
 * <p>
 * To add a scenario (async work, a scheduled job, a message listener): add what triggers it to {@link #traffic()}
 * (or let the application start it), count the units it ends in {@link #expectedUnits()}, and add a test method
 * that reads {@link #meters()}. Every mode then has to pass it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UnitOfWorkContract {

    static final String OWNERS = "GET /owners";
    static final String OWNER = "GET /owners/{ownerId}";
    static final String BOOM = "GET /boom";
    static final String LEGACY_OWNER = "GET /legacy/owners/{id}";
    static final String LEGACY_PERSON = "GET /legacy/people/{id}";
    static final String OWNERS_ASYNC = "GET /owners/async";
    static final String FANOUT = "GET /owners/fanout";
    /** Header that makes the application run one statement in a servlet filter, before routing. */
    static final String AUDIT = "X-Audit";

    /** Made-up methods and random 404 paths sent before the real requests: more than the endpoint budget (200). */
    static final int GARBAGE = 210;

    /**
     * The application under test, with Querylens in one mode. It serves, on its HTTP port:
     * <ul>
     * <li>{@code GET /owners}: one SELECT of the 6 owners, then one SELECT of pets per owner (an N+1, 7 statements);</li>
     * <li>{@code GET /owners/{ownerId}}: one SELECT with a join; no other method on that route;</li>
     * <li>{@code GET /boom}: one SELECT, then an exception out of the handler (a 500);</li>
     * <li>{@code GET /owners/async}: the N+1 of {@code /owners}, run on an executor's thread
     * ({@code CompletableFuture.supplyAsync}) while the request waits;</li>
     * <li>{@code GET /owners/fanout}: one count, then 16 tasks of 50 counts each on an executor, waited for;</li>
     * <li>{@code GET /actuator/health}: excluded from units of work by the default {@code querylens.web.exclude-paths};</li>
     * <li>a plain servlet mapped to {@code /legacy/*}: one SELECT, then 200, or 404 below {@code /legacy/missing};</li>
     * <li>with the {@value #AUDIT} header, one SELECT in a servlet filter before routing, whatever the path;</li>
     * <li>404 for anything else.</li>
     * </ul>
     */
    interface ContractApp extends AutoCloseable {
        String baseUrl();

        /** Querylens's meters as Prometheus text. */
        String scrape() throws Exception;

        /** What to print when a test fails: the application's log. */
        String diagnostics();
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ContractApp app;
    private Prometheus meters;
    private String scrape;

    @RegisterExtension
    final TestWatcher printOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            System.out.println("===== " + getClass().getName() + ": meters =====\n" + scrape);
            if (app != null) {
                System.out.println("===== application =====\n" + app.diagnostics() + "\n===== end =====");
            }
        }
    };

    /** Starts the application with Querylens in this mode. */
    abstract ContractApp start() throws Exception;

    @BeforeAll
    void startAndSendTraffic() throws Exception {
        app = start();
        try {
            traffic();
            scrape = poll(text -> requestUnits(Prometheus.parse(text)) >= expectedUnits());
            meters = Prometheus.parse(scrape);
        } catch (Throwable t) {
            System.out.println("===== application =====\n" + app.diagnostics() + "\n===== end =====");
            throw t;
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    /** The requests every mode serves, in this order. */
    void traffic() throws Exception {
        // excluded first: spellings that must not slip past querylens.web.exclude-paths
        for (String path : List.of("/actuator/health", "/actuator;x=1/health", "//actuator/health",
                "/./actuator/health", "/%61ctuator/health", "/owners/../actuator/health")) {
            send("GET", path);
        }
        for (int i = 0; i < GARBAGE; i++) {
            send("FROB" + i, "/owners/" + i);
            assertEquals(404, send("GET", "/no-such-page-" + i + "/x" + i));
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(200, send("GET", "/owners"));
            assertEquals(200, send("GET", "/owners/1"));
            assertEquals(500, send("GET", "/boom"));
        }
        // work handed to an executor's threads, waited for
        for (int i = 0; i < 2; i++) {
            assertEquals(200, send("GET", "/owners/async"));
        }
        assertEquals(200, send("GET", "/owners/fanout"));
        // requests no handler took, each running one statement in a filter first
        assertEquals(404, send("GET", "/nope/123", AUDIT));
        assertEquals(405, send("POST", "/owners/3", AUDIT));
        send("FROB", "/owners/3", AUDIT);
        // a plain servlet: its mapping, then the path below it with identifiers and personal data made {id}
        assertEquals(200, send("GET", "/legacy/owners/42"));
        assertEquals(200, send("GET", "/legacy/owners/3fa85f64-5717-4562-b3fc-2c963f66afa6"));
        assertEquals(200, send("GET", "/legacy/people/john.smith@example.com"));
        assertEquals(200, send("GET", "/legacy/people/Zx8kP2qLmN7vR4tY"));
        assertEquals(200, send("GET", "/legacy/people/jane.doe;jsessionid=ABC"));
        assertEquals(404, send("GET", "/legacy/missing/page"));
    }

    /** Units of work of HTTP requests: endpoints named by a method (units of other kinds are named otherwise). */
    static double requestUnits(Prometheus meters) {
        return meters.sum("querylens_request_statements_count", s -> s.label("endpoint") != null
                && s.label("endpoint").matches("(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|TRACE|CONNECT|OTHER) .*"));
    }

    /** HTTP units of work {@link #traffic()} ends: every request but the excluded ones. */
    int expectedUnits() {
        return 2 * GARBAGE + 6 + 3 + 6 + 3;
    }

    /** The application under test, started once for the class. */
    ContractApp app() {
        return app;
    }

    /** The meters once every unit of {@link #traffic()} has ended. */
    Prometheus meters() {
        return meters;
    }

    @Test
    void routeTemplatesNameEndpoints() {
        assertEquals(2.0, units(OWNERS));
        assertEquals(2.0, units(OWNER));
        assertEquals(14.0, statements(OWNERS), "1 + 6 statements per call");
        assertEquals(2.0, statements(OWNER));
        assertNoRawPaths();
    }

    @Test
    void nPlusOneIsFoundOnTheLoopOnly() {
        assertEquals(2.0, meters.sumFor("querylens_nplusone_total", OWNERS));
        assertFalse(meters.has("querylens_nplusone_total", OWNER));
        assertFalse(meters.has("querylens_nplusone_total", LEGACY_OWNER));
    }

    @Test
    void workHandedToAnExecutorCountsInTheRequest() {
        assertEquals(2.0, units(OWNERS_ASYNC));
        assertEquals(14.0, statements(OWNERS_ASYNC), "the N+1 on the executor's thread, in the request");
        assertEquals(2.0, meters.sumFor("querylens_nplusone_total", OWNERS_ASYNC));
        // 16 tasks of 50 statements on the pool: exactly 800 more than the request's own one
        assertEquals(1.0, units(FANOUT));
        assertEquals(801.0, statements(FANOUT));
        assertEquals(801.0, meters.sumFor("querylens_request_statements_sum", FANOUT));
    }

    @Test
    void unitsEndOnExceptions() {
        assertEquals(2.0, units(BOOM));
        assertEquals(2.0, statements(BOOM), "nothing of a failed request leaks into the next one on its thread");
    }

    @Test
    void requestsNoHandlerTookAreUnmatched() {
        // the random 404s, /nope/123 (whose filter ran one statement) and the plain servlet's own 404 (after one)
        assertEquals(GARBAGE + 2.0, units("GET UNMATCHED"));
        assertEquals(2.0, statements("GET UNMATCHED"));
        // 405: no handler took it either
        assertEquals(1.0, units("POST UNMATCHED"));
        assertEquals(1.0, statements("POST UNMATCHED"));
        assertFalse(meters.has("querylens_request_statements_count", "POST /owners/{ownerId}"));
    }

    @Test
    void madeUpMethodsAreOther() {
        assertEquals(GARBAGE + 1.0, units("OTHER UNMATCHED"));
        assertEquals(1.0, statements("OTHER UNMATCHED"));
        assertTrue(endpoints().stream().noneMatch(e -> e.startsWith("FROB")), endpoints().toString());
    }

    @Test
    void garbageNeverUsesUpTheEndpointBudget() {
        assertFalse(meters.has("querylens_request_statements_count", "OTHER"), endpoints().toString());
        assertTrue(endpoints().size() < 20, endpoints().toString());
    }

    @Test
    void excludedPathsAreNoUnitsWhateverTheirSpelling() {
        assertEquals(expectedUnits(), (int) requestUnits(meters), endpoints().toString());
        assertTrue(endpoints().stream().noneMatch(e -> e.contains("actuator") || e.contains("health")), endpoints().toString());
    }

    @Test
    void plainServletsAreNamedByTheirMappingWithoutIdentifiersOrPersonalData() {
        assertEquals(2.0, units(LEGACY_OWNER));
        assertEquals(2.0, statements(LEGACY_OWNER));
        assertEquals(3.0, units(LEGACY_PERSON));
        for (String e : endpoints()) {
            assertFalse(e.contains("@") || e.contains("john") || e.contains("jane") || e.contains("Zx8k")
                    || e.contains("jsessionid") || e.contains("3fa85f64"), e);
        }
    }

    private double units(String endpoint) {
        return meters.sumFor("querylens_request_statements_count", endpoint);
    }

    private double statements(String endpoint) {
        return meters.sumFor("querylens_statements_total", endpoint);
    }

    private List<String> endpoints() {
        List<String> out = new ArrayList<>();
        for (Prometheus.Sample s : meters.samples("querylens_request_statements_count")) {
            out.add(s.label("endpoint"));
        }
        return out;
    }

    private void assertNoRawPaths() {
        for (String e : endpoints()) {
            assertFalse(e.matches(".*/[0-9]+(/.*)?"), "a raw number in " + e);
        }
    }

    /** Sends a request with an empty body; returns the status. */
    int send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (String h : headers) {
            b.header(h, "1");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Scrapes until {@code ready} holds; returns that scrape. */
    String poll(Predicate<String> ready) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = null;
        while (System.nanoTime() < deadline) {
            last = app.scrape();
            if (ready.test(last)) {
                return last;
            }
            TimeUnit.MILLISECONDS.sleep(200); // between polls, bounded by the deadline
        }
        throw new AssertionError("the meters never got there; last scrape:\n" + last);
    }
}
