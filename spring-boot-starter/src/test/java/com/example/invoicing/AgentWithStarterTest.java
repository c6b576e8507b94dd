package com.example.invoicing;

import dev.querylens.core.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The invoicing application with the starter, started in a JVM of its own with the Querylens agent attached too
 * ({@code agent/target/querylens-agent.jar}, built earlier in the reactor): every statement is counted exactly once,
 * in the agent's meters and in the application's own registry, which both copies of Querylens write to. The agent
 * wraps the pool's connections inside {@code HikariDataSource.getConnection}; the starter's advice then gets a
 * connection that a copy of Querylens already wrapped and leaves it alone.
 */
class AgentWithStarterTest {

    private static final String SCHEMA = "qls_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private static final String JOINED = "GET /regions/{regionId}/invoices/joined";
    private static final String N_PLUS_ONE = "GET /regions/{regionId}/invoices";
    private static final String EVENTS = "GET /events/{kind}/count";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Process app;
    private static Path log;
    private static int appPort;
    private static int agentPort;

    @BeforeAll
    static void start() throws Exception {
        Path agentJar = Path.of(System.getProperty("querylens.it.agentJar", "../agent/target/querylens-agent.jar"));
        assertThat(agentJar).as("the agent jar; the reactor builds the agent module before this one").isRegularFile();
        try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES_URL); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + SCHEMA);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + TestDatabases.POSTGRES_URL + " (" + e.getMessage()
                    + "). This test needs the real server; start it with: "
                    + "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", e);
        }
        appPort = freePort();
        agentPort = freePort();
        String url = TestDatabases.POSTGRES_URL;
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        assertThat(classPath).doesNotContain("querylens-agent");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-javaagent:" + agentJar.toAbsolutePath(),
                "-Dquerylens.prometheus.port=" + agentPort,
                "-cp", classPath,
                InvoicingApplication.class.getName(),
                "--server.port=" + appPort,
                "--spring.main.banner-mode=off",
                "--spring.datasource.url=" + url + (url.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA,
                "--spring.jpa.hibernate.ddl-auto=create-drop",
                "--spring.jpa.open-in-view=false",
                "--management.endpoints.web.exposure.include=health,prometheus,querylens",
                "--management.prometheus.metrics.export.enabled=true"));
        Path logDir = Path.of("target", "it-logs");
        Files.createDirectories(logDir);
        log = logDir.resolve("agent-with-starter.log");
        Files.writeString(log, "# " + String.join(" ", command) + System.lineSeparator());
        app = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        // at most 120 s for the application to come up
        for (int i = 0; i < 600 && app.isAlive(); i++) {
            if (status("/actuator/health") == 200) {
                return;
            }
            app.waitFor(200, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("the application did not start (alive: " + app.isAlive() + "); its output:\n" + output());
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.destroy();
            if (!app.waitFor(20, TimeUnit.SECONDS)) {
                app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES_URL); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int status(String path) {
        try {
            return get("http://127.0.0.1:" + appPort + path).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** GETs {@code url} until {@code ready} holds, at most 100 times. */
    private static String await(String url, Predicate<String> ready) throws Exception {
        String body = "";
        for (int i = 0; i < 100; i++) {
            try {
                body = get(url).body();
            } catch (IOException e) {
                body = e.toString();
            }
            if (ready.test(body)) {
                return body;
            }
            Thread.sleep(200);
        }
        return body;
    }

    /** Sum of a Prometheus meter's samples for one endpoint. */
    private static double sum(String prometheus, String meter, String endpoint) {
        return prometheus.lines()
                .filter(l -> l.startsWith(meter + "{") && l.contains("endpoint=\"" + endpoint + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void everyStatementIsCountedOnce() throws Exception {
        String base = "http://127.0.0.1:" + appPort;
        assertThat(get(base + "/regions/1/invoices/joined").statusCode()).isEqualTo(200);
        assertThat(get(base + "/regions/1/invoices").statusCode()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            assertThat(get(base + "/events/rare/count").statusCode()).isEqualTo(200);
        }

        // the agent is there: its own units of work for both requests
        String agentMetrics = await("http://127.0.0.1:" + agentPort + "/metrics",
                b -> sum(b, "querylens_request_statements_count", JOINED) > 0
                        && sum(b, "querylens_request_statements_count", N_PLUS_ONE) > 0);
        assertThat(sum(agentMetrics, "querylens_request_statements_count", JOINED)).as(agentMetrics).isEqualTo(1.0);

        // the application's own registry, which both copies write to (the starter directly, the agent through its
        // Micrometer bridge), counts each statement once, whichever copy wrapped the connection
        String scrape = await(base + "/actuator/prometheus",
                b -> sum(b, "querylens_statements_total", JOINED) > 0 && sum(b, "querylens_nplusone_total", N_PLUS_ONE) > 0
                        && sum(b, "querylens_statements_total", EVENTS) >= 3);
        Files.writeString(log.resolveSibling("agent-with-starter.scrape"), scrape);
        Files.writeString(log.resolveSibling("agent-with-starter.agent-metrics"), agentMetrics);
        // one JPA query per request, and one plain JDBC statement per request, three requests
        assertThat(sum(scrape, "querylens_statements_total", JOINED)).as(scrape).isEqualTo(1.0);
        assertThat(sum(scrape, "querylens_statements_total", EVENTS)).as(scrape).isEqualTo(3.0);
        // the N+1 is found once, not once per copy
        assertThat(sum(scrape, "querylens_nplusone_total", N_PLUS_ONE)).as(scrape).isEqualTo(1.0);
        assertThat(output()).doesNotContain("could not instrument");
    }
}
