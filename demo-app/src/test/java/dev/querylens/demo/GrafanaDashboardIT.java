package dev.querylens.demo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Grafana dashboard against a real Prometheus: the packaged demo application runs with the Querylens agent
 * attached, a real {@code prometheus} server (Debian's package; {@code .ci/run} installs it) scrapes it with the
 * shipped {@code docs/grafana/prometheus.yml} (ports and interval adapted), traffic goes to every endpoint, and then
 * every PromQL expression of {@code docs/grafana/querylens-dashboard.json}, its variables' queries included, is
 * evaluated through Prometheus' HTTP API for each job the Job variable offers. An expression that does not parse or
 * returns no data fails the build. It also checks the findings the demo is there to show. A missing
 * {@code prometheus} binary fails the test: it never skips.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class GrafanaDashboardIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration APP_READY = Duration.ofMinutes(5);
    private static final Duration PROMETHEUS_READY = Duration.ofMinutes(1);
    private static final Duration DATA_DEADLINE = Duration.ofMinutes(3);

    static final String AGENT_JOB = "querylens-agent";
    static final String APP_JOB = "querylens-demo";

    private static Path work;
    private static Process app;
    private static Process prometheus;
    private static int appPort;
    private static int agentPort;
    private static int prometheusPort;
    private static final AtomicBoolean trafficOn = new AtomicBoolean();
    private static final AtomicLong requestsSent = new AtomicLong();
    private static final List<String> trafficErrors = new ArrayList<>();
    private static Thread traffic;

    @BeforeAll
    static void start() throws Exception {
        Path demoJar = existing("querylens.demo.jar", "the packaged demo application (mvn package builds it)");
        Path agentJar = existing("querylens.agent.jar", "the Querylens agent jar (the reactor builds the agent module first)");
        Path dashboard = existing("querylens.dashboard", "the Grafana dashboard");
        String prometheusBinary = prometheusBinary();

        work = Path.of("target", "dashboard-it").toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        int[] ports = freePorts(3);
        appPort = ports[0];
        agentPort = ports[1];
        prometheusPort = ports[2];

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        app = new ProcessBuilder(java, "-Xmx512m", "-javaagent:" + agentJar,
                "-Dquerylens.prometheus.port=" + agentPort, "-Dquerylens.prometheus.host=127.0.0.1",
                "-jar", demoJar.toString(), "--server.port=" + appPort)
                .redirectErrorStream(true).redirectOutput(work.resolve("demo-app.log").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(GrafanaDashboardIT::stopProcesses));
        waitFor("the demo application at /actuator/health/readiness", app, work.resolve("demo-app.log"), APP_READY,
                () -> status("http://127.0.0.1:" + appPort + "/actuator/health/readiness") == 200);

        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, prometheusConfig(Files.readString(dashboard.resolveSibling("prometheus.yml"))));
        prometheus = new ProcessBuilder(prometheusBinary, "--config.file=" + config,
                "--storage.tsdb.path=" + work.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + prometheusPort,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
        waitFor("Prometheus at /-/ready", prometheus, work.resolve("prometheus.log"), PROMETHEUS_READY,
                () -> status("http://127.0.0.1:" + prometheusPort + "/-/ready") == 200);

        traffic = new Thread(GrafanaDashboardIT::sendTraffic, "dashboard-it-traffic");
        trafficOn.set(true);
        traffic.setDaemon(true);
        traffic.start();
    }

    @AfterAll
    static void stop() {
        stopProcesses();
    }

    @Test
    void everyDashboardExpressionReturnsDataFromARealPrometheus() throws Exception {
        JsonNode dashboard = JSON.readTree(Files.readString(existing("querylens.dashboard", "the Grafana dashboard")));
        List<Query> panels = panelQueries(dashboard);
        List<Query> variables = variableQueries(dashboard);
        assertTrue(panels.size() >= 10, "the dashboard has its panels: " + panels.size());

        // Both jobs of prometheus.yml are up: the agent's port and the application's Actuator.
        eventually("both scrape targets are up", () -> {
            JsonNode up = query("up == 1");
            Set<String> jobs = new LinkedHashSet<>();
            up.path("data").path("result").forEach(r -> jobs.add(r.path("metric").path("job").asString()));
            return jobs.containsAll(List.of(AGENT_JOB, APP_JOB)) ? null : "jobs up: " + jobs;
        });

        // The Job variable offers both: the Querylens meters reach Prometheus through the agent's port and, mirrored
        // into the application's Micrometer registry, through /actuator/prometheus.
        Query jobVariable = variables.stream().filter(q -> q.title().equals("variable job")).findFirst().orElseThrow();
        eventually("the Job variable lists both jobs", () -> {
            Set<String> jobs = new LinkedHashSet<>();
            query(substitute(jobVariable.expr(), AGENT_JOB)).path("data").path("result")
                    .forEach(r -> jobs.add(r.path("metric").path("job").asString()));
            return jobs.containsAll(List.of(AGENT_JOB, APP_JOB)) ? null : "job variable values: " + jobs;
        });

        List<String> failures = new ArrayList<>();
        long deadline = System.nanoTime() + DATA_DEADLINE.toNanos();
        for (String job : List.of(AGENT_JOB, APP_JOB)) {
            List<Query> all = new ArrayList<>(variables);
            all.addAll(panels);
            Map<Query, String> problems = new LinkedHashMap<>();
            // Scrapes, rate windows and the background EXPLAIN sampler all need a little time: retry until every
            // expression has data, within one bounded time. An expression Prometheus rejects is not retried.
            while (true) {
                problems.clear();
                for (Query q : all) {
                    String problem = check(substitute(q.expr(), job));
                    if (problem != null) {
                        problems.put(q, problem);
                    }
                }
                boolean onlyRejected = problems.values().stream().allMatch(p -> p.startsWith(REJECTED));
                if (onlyRejected || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(2_000);
            }
            problems.forEach((q, p) -> failures.add("[job " + job + "] " + q.title() + ": " + p + "\n      "
                    + substitute(q.expr(), job)));
        }
        synchronized (trafficErrors) {
            assertTrue(trafficErrors.isEmpty(), "every request of the traffic succeeded: " + trafficErrors);
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " dashboard expressions failed against Prometheus (logs in " + work + "):\n  "
                    + String.join("\n  ", failures));
        }
    }

    @Test
    void theDemoShowsEachProblemAndNotItsFix() throws Exception {
        // statements per request, as the dashboard's first panels show them: the fixes run a handful
        Map<String, Double> perRequest = new LinkedHashMap<>();
        eventually("statements per request of every endpoint", () -> {
            perRequest.clear();
            query("sum by (endpoint) (querylens_request_statements_sum{job=\"" + AGENT_JOB + "\"}) / "
                    + "sum by (endpoint) (querylens_request_statements_count{job=\"" + AGENT_JOB + "\"})")
                    .path("data").path("result").forEach(r -> perRequest.put(r.path("metric").path("endpoint").asString(),
                            Double.parseDouble(r.path("value").get(1).asString())));
            return perRequest.keySet().containsAll(DemoTraffic.ENDPOINTS) && perRequest.keySet().containsAll(DemoTraffic.JOBS)
                    ? null : "endpoints so far: " + perRequest;
        });
        // work handed to Spring's executor counts in the request; each job run is a unit of its own
        assertEquals(101.0, perRequest.get("GET /orders/recent-async"), 0.01, perRequest.toString());
        assertEquals(2.0, perRequest.get("GET /orders/recent-async-fixed"), 0.01, perRequest.toString());
        assertEquals(41.0, perRequest.get("SCHEDULED SalesReportJob.lateOrders"), 0.01, "1 + 20 + 20: " + perRequest);
        assertEquals(2.0, perRequest.get("SCHEDULED SalesReportJob.lateOrdersFixed"), 0.01, perRequest.toString());
        // the endpoint variable offers the jobs, and a panel filtered on one (Grafana escapes the value) has data
        Set<String> offered = new LinkedHashSet<>();
        query("count by (endpoint) (querylens_statements_total{job=\"" + AGENT_JOB + "\"})").path("data").path("result")
                .forEach(r -> offered.add(r.path("metric").path("endpoint").asString()));
        assertTrue(offered.containsAll(DemoTraffic.JOBS), "the endpoint variable's values: " + offered);
        assertEquals(null, check("sum by (endpoint) (rate(querylens_statements_total{job=\"" + AGENT_JOB
                + "\", endpoint=~\"SCHEDULED SalesReportJob\\\\.lateOrders\"}[1m]))"), "a panel on the job");
        assertEquals(101.0, perRequest.get("GET /orders/recent"), 0.01, "1 + 50 customers + 50 line lists: " + perRequest);
        assertEquals(2.0, perRequest.get("GET /orders/recent-fixed"), 0.01, perRequest.toString());
        assertEquals(6.0, perRequest.get("GET /customers/{id}/dashboard"), 0.01, perRequest.toString());
        assertEquals(3.0, perRequest.get("GET /customers/{id}/dashboard-fixed"), 0.01, perRequest.toString());
        assertEquals(10.0, perRequest.get("POST /orders/{id}/checklist"), 0.01, "one INSERT per note: " + perRequest);
        assertEquals(1.0, perRequest.get("POST /orders/{id}/checklist-fixed"), 0.01, "one JDBC batch: " + perRequest);

        // the findings the ./demo report prints, from the agent's JSON
        List<String> found = new ArrayList<>();
        List<String> suggestions = new ArrayList<>();
        eventually("the N+1, duplicate, unbatched-writes and seq-scan findings", () -> {
            found.clear();
            suggestions.clear();
            JsonNode findings = JSON.readTree(get("http://127.0.0.1:" + agentPort + "/querylens/findings")).path("findings");
            findings.forEach(f -> {
                String endpoint = f.path("endpoint").asString();
                if (f.path("kind").asString().equals("seq-scan")) {
                    // named by the route template, never by the path (the request's tracking code)
                    suggestions.add(endpoint + ": " + f.path("details").path("suggestion").asString());
                }
                found.add(f.path("kind").asString() + " " + endpoint + " " + f.path("table").asString());
            });
            return found.containsAll(List.of(
                    "n-plus-one GET /orders/recent customers",
                    "n-plus-one GET /orders/recent order_lines",
                    "n-plus-one GET /orders/recent-async customers",
                    "n-plus-one SCHEDULED SalesReportJob.lateOrders customers",
                    "duplicate GET /customers/{id}/dashboard customers",
                    "unbatched-writes POST /orders/{id}/checklist order_notes",
                    "seq-scan GET /orders/by-tracking/{code} orders")) ? null : "findings so far: " + found;
        });
        assertEquals(1, suggestions.size(), "one scan, under the route template: " + suggestions);
        assertTrue(suggestions.get(0).startsWith("GET /orders/by-tracking/{code}: CREATE INDEX")
                && suggestions.get(0).endsWith("ON orders (tracking_code)"), "the scan's suggestion: " + suggestions);
        for (String fixed : List.of("GET /orders/recent-fixed", "GET /orders/by-reference/{reference}",
                "GET /customers/{id}/dashboard-fixed", "GET /orders/recent-async-fixed",
                "SCHEDULED SalesReportJob.lateOrdersFixed", "POST /orders/{id}/checklist-fixed")) {
            assertTrue(found.stream().noneMatch(f -> f.contains(" " + fixed + " ")), fixed + " has no finding: " + found);
        }
    }

    // ------------------------------------------------------------------------------------------ dashboard reading

    record Query(String title, String expr) {
    }

    /** Every target expression of every panel (rows' nested panels included). */
    static List<Query> panelQueries(JsonNode dashboard) {
        List<Query> out = new ArrayList<>();
        List<JsonNode> all = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            all.add(p);
            p.path("panels").forEach(all::add);
        });
        for (JsonNode p : all) {
            if (p.path("type").asString().equals("row")) {
                continue;
            }
            String title = "panel \"" + p.path("title").asString() + "\"";
            assertEquals("${datasource}", p.path("datasource").path("uid").asString(), title + " uses the datasource variable");
            assertTrue(p.path("targets").size() > 0, title + " has a query");
            for (JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asString();
                assertTrue(!expr.isBlank(), title + " has an expression in each target");
                out.add(new Query(title + (p.path("targets").size() > 1 ? " " + t.path("refId").asString() : ""), expr));
            }
        }
        return out;
    }

    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*(\\w+)\\s*\\)\\s*$");

    /** The query variables, each turned into the PromQL that gives the same values: {@code count by (label) (expr)}. */
    static List<Query> variableQueries(JsonNode dashboard) {
        List<Query> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
            names.add(v.path("name").asString());
            if (!v.path("type").asString().equals("query")) {
                continue;
            }
            JsonNode q = v.path("query");
            String text = q.isObject() ? q.path("query").asString() : q.asString();
            Matcher m = LABEL_VALUES.matcher(text);
            assertTrue(m.matches(), "variable " + v.path("name").asString() + " is a label_values(...) query: " + text);
            out.add(new Query("variable " + v.path("name").asString(), "count by (" + m.group(2) + ") (" + m.group(1) + ")"));
        }
        assertTrue(names.containsAll(List.of("datasource", "job", "instance", "endpoint")),
                "the dashboard has the datasource, job, instance and endpoint variables: " + names);
        return out;
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)|\\[\\[(\\w+)]]");

    /** The expression as Grafana would send it with Job = {@code job} and All instances and endpoints. */
    static String substitute(String expr, String job) {
        Map<String, String> values = Map.of("job", job, "instance", ".*", "endpoint", ".*",
                "__rate_interval", "1m", "__interval", "15s", "__range", "10m", "__range_s", "600");
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = Stream.of(m.group(1), m.group(2), m.group(3)).filter(s -> s != null).findFirst().orElseThrow();
            String value = values.get(name);
            assertTrue(value != null, "unknown dashboard variable $" + name + " in " + expr);
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static final String REJECTED = "Prometheus rejected it: ";

    /** Null when the expression parses and returns at least one number; otherwise what is wrong. */
    static String check(String expr) throws Exception {
        JsonNode r = query(expr);
        if (!r.path("status").asString().equals("success")) {
            return REJECTED + r.path("errorType").asString() + ": " + r.path("error").asString();
        }
        JsonNode data = r.path("data");
        if (data.path("resultType").asString().equals("scalar")) {
            return isNumber(data.path("result").get(1).asString()) ? null : "the scalar is " + data.path("result");
        }
        JsonNode result = data.path("result");
        if (result.isEmpty()) {
            return "no data";
        }
        for (JsonNode series : result) {
            if (isNumber(series.path("value").get(1).asString())) {
                return null;
            }
        }
        return "only NaN values: " + result;
    }

    private static boolean isNumber(String v) {
        return !v.equalsIgnoreCase("NaN") && !v.contains("Inf");
    }

    static String prometheusConfig(String shipped) {
        Map<String, String> replacements = new LinkedHashMap<>();
        replacements.put("scrape_interval: 5s", "scrape_interval: 1s");
        replacements.put("evaluation_interval: 5s", "evaluation_interval: 1s");
        replacements.put("\"127.0.0.1:9466\"", "\"127.0.0.1:" + agentPort + "\"");
        replacements.put("\"127.0.0.1:8080\"", "\"127.0.0.1:" + appPort + "\"");
        String config = shipped;
        for (Map.Entry<String, String> e : replacements.entrySet()) {
            assertTrue(config.contains(e.getKey()), "docs/grafana/prometheus.yml contains " + e.getKey());
            config = config.replace(e.getKey(), e.getValue());
        }
        return config;
    }

    // ------------------------------------------------------------------------------------------ processes, HTTP

    private static void sendTraffic() {
        long deadline = System.nanoTime() + Duration.ofMinutes(12).toNanos();
        int round = 0;
        while (trafficOn.get() && System.nanoTime() < deadline) {
            round++;
            for (String path : DemoTraffic.round(round)) {
                try {
                    int status = path.startsWith("POST ")
                            ? post("http://127.0.0.1:" + appPort + path.substring("POST ".length()))
                            : status("http://127.0.0.1:" + appPort + path);
                    requestsSent.incrementAndGet();
                    if (status != 200) {
                        synchronized (trafficErrors) {
                            trafficErrors.add(path + " -> " + status);
                        }
                    }
                } catch (Exception e) {
                    if (trafficOn.get()) {
                        synchronized (trafficErrors) {
                            trafficErrors.add(path + " -> " + e);
                        }
                    }
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static synchronized void stopProcesses() {
        trafficOn.set(false);
        for (Process p : new Process[] {prometheus, app}) {
            if (p == null || !p.isAlive()) {
                continue;
            }
            p.destroy();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(String what, Process process, Path log, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive()) {
                fail(what + ": the process exited with " + process.exitValue() + "\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                fail(what + " was not ready within " + timeout.toSeconds() + " s\n" + tail(log));
            }
            Thread.sleep(500);
        }
    }

    interface Probe {
        /** Null when done, else what is still missing. */
        String missing() throws Exception;
    }

    private static void eventually(String what, Probe probe) throws Exception {
        long deadline = System.nanoTime() + DATA_DEADLINE.toNanos();
        String missing;
        while ((missing = probe.missing()) != null) {
            if (System.nanoTime() > deadline) {
                fail(what + ": not there within " + DATA_DEADLINE.toSeconds() + " s (" + requestsSent.get()
                        + " requests sent; logs in " + work + "): " + missing);
            }
            Thread.sleep(1_000);
        }
    }

    static JsonNode query(String promql) throws Exception {
        return JSON.readTree(get("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static int status(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int post(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Path existing(String property, String what) {
        String value = System.getProperty(property);
        assertTrue(value != null && !value.isBlank(), "system property " + property + " (" + what + ") is set");
        Path p = Path.of(value);
        assertTrue(Files.isRegularFile(p), what + " exists at " + p);
        return p;
    }

    /** {@code prometheus} from QUERYLENS_PROMETHEUS or the PATH; its absence fails the test. */
    static String prometheusBinary() {
        String explicit = System.getenv("QUERYLENS_PROMETHEUS");
        if (explicit != null && !explicit.isBlank()) {
            assertTrue(Files.isExecutable(Path.of(explicit)), "QUERYLENS_PROMETHEUS=" + explicit + " is executable");
            return explicit;
        }
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "prometheus"))) {
                return Path.of(dir, "prometheus").toString();
            }
        }
        fail("The prometheus server is needed and was not found on the PATH. Install it with "
                + "`apt-get install -y prometheus` (.ci/run does), or set QUERYLENS_PROMETHEUS to its binary.");
        return null;
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                open.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : open) {
                s.close();
            }
        }
        return ports;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The requests of one traffic round: every endpoint, with ids that change from round to round. */
    static final class DemoTraffic {
        static final List<String> ENDPOINTS = List.of("GET /orders/recent", "GET /orders/recent-fixed",
                "GET /orders/recent-async", "GET /orders/recent-async-fixed",
                "GET /orders/by-tracking/{code}", "GET /orders/by-reference/{reference}",
                "GET /customers/{id}/dashboard", "GET /customers/{id}/dashboard-fixed",
                "POST /orders/{id}/checklist", "POST /orders/{id}/checklist-fixed");
        /** The scheduled job and its fixed twin: units of work of their own, run by the application itself. */
        static final List<String> JOBS = List.of("SCHEDULED SalesReportJob.lateOrders",
                "SCHEDULED SalesReportJob.lateOrdersFixed");

        /** Paths to GET, or {@code POST /path}. */
        static List<String> round(int n) {
            long order = 1000 + (n * 37L) % 30_000;
            long customer = 1 + (n * 13L) % 4_000;
            return List.of("/orders/recent?limit=50", "/orders/recent-fixed?limit=50",
                    "/orders/recent-async?limit=50", "/orders/recent-async-fixed?limit=50",
                    "/orders/by-tracking/" + String.format(Locale.ROOT, "1Z%010d", order * 7919 + 13),
                    "/orders/by-reference/" + String.format(Locale.ROOT, "ORD-%07d", order),
                    "/customers/" + customer + "/dashboard", "/customers/" + customer + "/dashboard-fixed",
                    "POST /orders/" + order + "/checklist?notes=10", "POST /orders/" + order + "/checklist-fixed?notes=10");
        }
    }
}
