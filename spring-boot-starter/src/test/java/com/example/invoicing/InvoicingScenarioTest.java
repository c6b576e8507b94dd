package com.example.invoicing;

import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.QueryLens;
import dev.querylens.core.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter in a real application: HTTP on a random port, Spring MVC, Spring Data JPA over Hibernate, HikariCP,
 * Actuator with Prometheus, and the machine's real PostgreSQL. The same class runs on Spring Boot 4.0 (this module)
 * and on Spring Boot 3.5 (module spring-boot-starter-boot3-tests). PostgreSQL being down fails it; it never skips.
 * <p>
 * Each run works in a schema of its own, so that builds of other work trees running at the same time do not meet.
 */
@SpringBootTest(classes = InvoicingApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.main.banner-mode=off",
                "spring.jpa.hibernate.ddl-auto=create-drop",
                "spring.jpa.open-in-view=false",
                "spring.datasource.hikari.maximum-pool-size=4",
                "management.endpoints.web.exposure.include=health,prometheus,querylens",
                "management.endpoint.health.show-components=always",
                // Spring Boot 3's test support turns metrics export off unless asked for by name
                "management.prometheus.metrics.export.enabled=true",
        })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InvoicingScenarioTest {

    private static final String SCHEMA = "qls_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private static final String N_PLUS_ONE_ROUTE = "GET /regions/{regionId}/invoices";
    private static final String JOINED_ROUTE = "GET /regions/{regionId}/invoices/joined";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES_URL); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + SCHEMA);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + TestDatabases.POSTGRES_URL + " (" + e.getMessage()
                    + "). This test needs the real server; start it with: "
                    + "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", e);
        }
        String url = TestDatabases.POSTGRES_URL;
        registry.add("spring.datasource.url", () -> url + (url.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES_URL); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    HikariDataSource hikari;

    @Autowired
    QueryLens queryLens;

    @Autowired
    InvoicingJob job;

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Reads {@code path} until {@code ready} holds, at most 50 times. A unit of work ends when the request's filter
     * chain returns, which can be just after the client has read the response.
     */
    private String awaitBody(String path, Predicate<String> ready) throws Exception {
        String body = null;
        for (int i = 0; i < 50; i++) {
            body = get(path).body();
            if (ready.test(body)) {
                return body;
            }
            Thread.sleep(100);
        }
        return body;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> findingsOf(String querylensJson, String endpoint) {
        Map<String, Object> body = (Map<String, Object>) MiniJson.parse(querylensJson);
        for (Map<String, Object> e : (List<Map<String, Object>>) body.get("endpoints")) {
            if (endpoint.equals(e.get("endpoint"))) {
                return (List<Map<String, Object>>) e.get("findings");
            }
        }
        return List.of();
    }

    private static List<String> meterLines(String prometheus, String meter, String endpoint) {
        return prometheus.lines()
                .filter(l -> l.startsWith(meter + "{") && l.contains("endpoint=\"" + endpoint + "\""))
                .toList();
    }

    /** The sample value of a Prometheus text line ({@code 2}, {@code 2.0} and {@code 2e0} alike). */
    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    @Test
    @Order(1)
    void theDataSourceBeanKeepsItsTypeAndItsConnectionsAreWatched() throws Exception {
        assertThat(AopUtils.isCglibProxy(hikari)).isTrue();
        try (Connection c = hikari.getConnection()) {
            assertThat(QueryLens.isWrapped(c)).isTrue();
        }
        assertThat(hikari.getHikariPoolMXBean()).isNotNull();
        assertThat(hikari.getJdbcUrl()).contains(SCHEMA);
    }

    @Test
    @Order(2)
    void nPlusOneEndpointShowsUpWithItsRouteTemplateAndTheFixedOneDoesNot() throws Exception {
        HttpResponse<String> lazy = get("/regions/1/invoices");
        assertThat(lazy.statusCode()).isEqualTo(200);
        assertThat(lazy.body()).contains("customer-8");
        HttpResponse<String> joined = get("/regions/1/invoices/joined");
        assertThat(joined.statusCode()).isEqualTo(200);
        assertThat(joined.body()).contains("customer-8");

        String json = awaitBody("/actuator/querylens", b -> !findingsOf(b, N_PLUS_ONE_ROUTE).isEmpty());
        List<Map<String, Object>> findings = findingsOf(json, N_PLUS_ONE_ROUTE);
        assertThat(findings).as(json).hasSize(1);
        Map<String, Object> f = findings.get(0);
        assertThat(f.get("kind")).isEqualTo("n-plus-one");
        assertThat(f.get("table")).isEqualTo("qls_customer");
        assertThat((Long) f.get("count")).isEqualTo(InvoicingApplication.INVOICES);
        assertThat((String) f.get("sql")).contains("qls_customer").contains("?");
        assertThat((String) f.get("parentQuery")).contains("qls_invoice");
        assertThat((String) f.get("callSite")).startsWith(InvoiceService.class.getName() + ".customerNamesLazily(");
        assertThat((String) f.get("hint")).contains("JOIN FETCH");
        // no bind values, no raw paths
        assertThat(json).doesNotContain("customer-").doesNotContain("/regions/1/");
        assertThat(findingsOf(json, JOINED_ROUTE)).isEmpty();

        String prometheus = awaitBody("/actuator/prometheus",
                b -> !meterLines(b, "querylens_request_statements_count", JOINED_ROUTE).isEmpty());
        assertThat(meterLines(prometheus, "querylens_nplusone_total", N_PLUS_ONE_ROUTE))
                .singleElement().satisfies(line -> assertThat(line).contains("table=\"qls_customer\"").satisfies(l -> assertThat(value(l)).isEqualTo(1.0)));
        assertThat(meterLines(prometheus, "querylens_nplusone_total", JOINED_ROUTE)).isEmpty();
        // the fixed endpoint ran one SELECT for its unit of work
        assertThat(meterLines(prometheus, "querylens_statements_total", JOINED_ROUTE))
                .singleElement().satisfies(line -> assertThat(line).contains("operation=\"select\"").satisfies(l -> assertThat(value(l)).isEqualTo(1.0)));
        assertThat(meterLines(prometheus, "querylens_statements_total", N_PLUS_ONE_ROUTE))
                .singleElement().satisfies(line -> assertThat(value(line)).isEqualTo(1.0 + InvoicingApplication.INVOICES));
        assertThat(prometheus).doesNotContain("/regions/1/");
    }

    @Test
    @Order(3)
    void poolMetricsAndDataSourceHealthStillWork() throws Exception {
        String prometheus = get("/actuator/prometheus").body();
        assertThat(prometheus).contains("hikaricp_connections_max{");
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> components = (Map<String, Object>) ((Map<String, Object>) MiniJson.parse(health.body())).get("components");
        @SuppressWarnings("unchecked")
        Map<String, Object> db = (Map<String, Object>) components.get("db");
        assertThat(db).as(health.body()).isNotNull();
        assertThat(db.get("status")).isEqualTo("UP");
    }

    @Test
    @Order(4)
    void errorsAndNotFoundEndTheirUnitsOfWorkCleanly() throws Exception {
        assertThat(get("/regions/1/invoices/broken").statusCode()).isEqualTo(500);
        assertThat(get("/no/such/page").statusCode()).isEqualTo(404);
        String prometheus = awaitBody("/actuator/prometheus",
                b -> !meterLines(b, "querylens_request_statements_count", "GET UNMATCHED").isEmpty()
                        && !meterLines(b, "querylens_statements_total", "GET /regions/{regionId}/invoices/broken").isEmpty());
        assertThat(meterLines(prometheus, "querylens_statements_total", "GET /regions/{regionId}/invoices/broken"))
                .singleElement().satisfies(line -> assertThat(value(line)).isEqualTo(1.0));
        assertThat(meterLines(prometheus, "querylens_request_statements_count", "GET UNMATCHED")).isNotEmpty();
        assertThat(prometheus).doesNotContain("/no/such/page");
        // nothing stayed open on this thread or leaked into the next request
        assertThat(queryLens.inUnitOfWork()).isFalse();
        assertThat(get("/regions/1/invoices/joined").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void asyncRequestsEndEachDispatchsUnitOfWorkUnderTheirRoute() throws Exception {
        HttpResponse<String> later = get("/regions/1/invoices/later");
        assertThat(later.statusCode()).isEqualTo(200);
        assertThat(later.body()).contains("customer-8");
        String route = "GET /regions/{regionId}/invoices/later";
        // one unit for the first dispatch and one for the async re-dispatch that writes the response
        String prometheus = awaitBody("/actuator/prometheus",
                b -> meterLines(b, "querylens_request_statements_count", route).stream().anyMatch(l -> value(l) == 2));
        assertThat(meterLines(prometheus, "querylens_request_statements_count", route))
                .singleElement().satisfies(line -> assertThat(value(line)).isEqualTo(2.0));
        assertThat(queryLens.inUnitOfWork()).isFalse();
    }

    @Test
    @Order(6)
    void explainSamplingFindsTheSequentialScanOfABigTable() throws Exception {
        HttpResponse<String> count = get("/events/rare/count");
        assertThat(count.statusCode()).isEqualTo(200);
        assertThat(count.body()).isEqualTo(String.valueOf(InvoicingApplication.RARE_EVENTS));
        String route = "GET /events/{kind}/count";
        // plans are sampled on a background thread
        String json = awaitBody("/actuator/querylens", b -> !findingsOf(b, route).isEmpty());
        assertThat(findingsOf(json, route)).as(json).singleElement().satisfies(f -> {
            assertThat(f.get("kind")).isEqualTo("seq-scan");
            assertThat(f.get("table")).isEqualTo("qls_event");
            assertThat((String) f.get("sql")).contains("qls_event").contains("?");
            assertThat((String) f.get("callSite")).startsWith(EventController.class.getName() + ".count(");
            @SuppressWarnings("unchecked")
            Map<String, Object> details = (Map<String, Object>) f.get("details");
            assertThat((String) details.get("suggestion")).containsIgnoringCase("create index").contains("kind");
        });
        assertThat(json).doesNotContain("'rare'");
        String prometheus = awaitBody("/actuator/prometheus",
                b -> !meterLines(b, "querylens_seqscan_total", route).isEmpty());
        assertThat(meterLines(prometheus, "querylens_seqscan_total", route))
                .singleElement().satisfies(line -> assertThat(line).contains("table=\"qls_event\""));
        assertThat(prometheus.lines().filter(l -> l.startsWith("querylens_explain_total{") && l.contains("outcome=\"seqscan\"")))
                .singleElement().satisfies(line -> assertThat(value(line)).isGreaterThanOrEqualTo(1.0));
    }

    @Test
    @Order(7)
    void aQueryLensScopeJobIsItsOwnUnitOfWork() throws Exception {
        assertThat(job.run()).isEqualTo(InvoicingApplication.INVOICES);
        String json = get("/actuator/querylens").body();
        List<Map<String, Object>> findings = findingsOf(json, "nightly-invoicing");
        assertThat(findings).as(json).singleElement()
                .satisfies(f -> assertThat(f.get("kind")).isEqualTo("n-plus-one"));
    }
}
