package dev.querylens.agent.it;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plain Java application (embedded Jetty 12, HikariCP over the real PostgreSQL, raw JDBC, no Spring) started with
 * the agent: the N+1 endpoint is reported, the join endpoint is not, and the agent counts exactly the statements the
 * application executed: none of HikariCP's own SQL (init SQL, validation query, schema) and nothing twice.
 */
@ExtendWith(DumpLogsOnFailure.class)
class PlainAppIT {

    static final String NPLUSONE = "GET /shops/{id}/owners-nplusone";
    static final String JOIN = "GET /shops/{id}/owners-join";

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void countsPerEndpointAndFindsTheNPlusOne(Jdk jdk) throws Exception {
        int appPort = ChildJvm.freePort();
        int metricsPort = ChildJvm.freePort();
        try (ChildJvm app = ChildJvm.start("plain-app-" + jdk, jdk,
                List.of(ChildJvm.javaagent("nplusone.threshold=4"), "-Dquerylens.prometheus.port=" + metricsPort),
                ChildJvm.appClassPath("plain-app.classpath"), "dev.querylens.testapps.plain.PlainApp",
                List.of(String.valueOf(appPort), ChildJvm.POSTGRES_URL))) {
            app.awaitOutput("PlainApp READY", Duration.ofSeconds(60));
            String base = "http://127.0.0.1:" + appPort;
            String expected = String.join("\n", List.of("1:pet1a", "1:pet1b", "2:pet2a", "2:pet2b", "3:pet3a", "3:pet3b",
                    "4:pet4a", "4:pet4b", "5:pet5a", "5:pet5b", "6:pet6a", "6:pet6b"));
            for (int i = 0; i < 3; i++) {
                assertEquals(expected, ChildJvm.get(base + "/shops/1/owners-nplusone"));
                assertEquals(expected, ChildJvm.get(base + "/shops/1/owners-join"));
            }
            Map<String, String> stats = stats(ChildJvm.get(base + "/stats"));
            assertEquals("com.zaxxer.hikari.HikariDataSource", stats.get("dataSourceClass"));
            assertEquals("same", stats.get("unwrap"));
            assertTrue(Integer.parseInt(stats.get("poolTotal")) >= 1, stats.toString());
            long setup = Long.parseLong(stats.get("setup"));
            long nPlusOne = Long.parseLong(stats.get("nplusone"));
            long join = Long.parseLong(stats.get("join"));
            assertEquals(3 * 7, nPlusOne);
            assertEquals(3, join);

            // units end when the request's outermost filter returns, just after the response: poll with a deadline
            String metrics = ChildJvm.poll("http://127.0.0.1:" + metricsPort + "/metrics", body -> {
                Prometheus p = Prometheus.parse(body);
                return p.sumFor("querylens_statements_total", NPLUSONE) == nPlusOne
                        && p.sumFor("querylens_statements_total", JOIN) == join
                        && p.has("querylens_request_statements_count", "GET /stats")
                        && p.sum("querylens_explain_total", s -> "ok".equals(s.label("outcome"))) >= 2;
            }, Duration.ofSeconds(30), "the statements of both endpoints, and sampled EXPLAINs");
            Prometheus p = Prometheus.parse(metrics);

            assertEquals(3.0, p.sumFor("querylens_nplusone_total", NPLUSONE), metrics);
            assertFalse(p.has("querylens_nplusone_total", JOIN), metrics);
            assertEquals(3.0, p.sumFor("querylens_request_statements_count", NPLUSONE), metrics);
            // every statement the agent counted, under any endpoint, is one the application executed itself: no pool
            // SQL (connectionInitSql, connectionTestQuery, setSchema), no EXPLAIN of the sampler (which takes its own
            // connections from the pool through the agent), no statement counted twice
            assertEquals((double) (setup + nPlusOne + join), p.sum("querylens_statements_total", s -> true), metrics);
            assertEquals((double) setup, p.sumFor("querylens_statements_total", "none"), metrics);
            assertEquals(0.0, p.sum("querylens_internal_errors_total", s -> true), metrics);

            String findings = ChildJvm.get("http://127.0.0.1:" + metricsPort + "/querylens/findings");
            assertTrue(findings.contains(NPLUSONE), findings);
            assertFalse(findings.contains(JOIN), findings);

            String out = app.output();
            assertTrue(out.contains("[querylens] agent 0.1.0-SNAPSHOT installed; metrics at http://127.0.0.1:" + metricsPort),
                    "the agent's startup line");
            assertTrue(out.contains("[querylens] N+1 in " + NPLUSONE), "the finding's WARN line on stderr");
            assertFalse(out.contains("could not instrument"), "no transform errors");
            assertFalse(out.contains("[querylens] configuration"), "no configuration problems");
        }
    }

    private static Map<String, String> stats(String body) {
        Map<String, String> out = new HashMap<>();
        for (String line : body.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return out;
    }
}
