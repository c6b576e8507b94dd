package dev.querylens.agent.it;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A javax.servlet container (Jetty 9.4) under a context path: each request, filter and servlet together, is one
 * unit of work named by its templated path inside the application; SQL run by the filter counts for the request, and
 * so does SQL run by a task handed to Spring 5's {@code SimpleAsyncTaskExecutor} (Java 8 class files throughout).
 */
@ExtendWith(DumpLogsOnFailure.class)
class JavaxServletIT {

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void javaxRequestsAreUnitsOfWork(Jdk jdk) throws Exception {
        Path target = Path.of(System.getProperty("querylens.it.agentTarget"));
        String classPath = target.resolve("test-classes") + java.io.File.pathSeparator
                + Files.readString(target.resolve("javax-app.classpath")).trim();
        int appPort = ChildJvm.freePort();
        int metricsPort = ChildJvm.freePort();
        try (ChildJvm app = ChildJvm.start("javax-servlet-" + jdk, jdk,
                List.of(ChildJvm.javaagent("prometheus.port=" + metricsPort)), classPath,
                "dev.querylens.testapps.javax.JavaxServletApp", List.of(String.valueOf(appPort)))) {
            app.awaitOutput("JavaxServletApp READY", Duration.ofSeconds(60));
            for (int i = 0; i < 2; i++) {
                assertEquals("answer", ChildJvm.get("http://127.0.0.1:" + appPort + "/shop/items/42"));
            }
            String endpoint = "GET /items/{id}";
            String metrics = ChildJvm.poll("http://127.0.0.1:" + metricsPort + "/metrics",
                    body -> Prometheus.parse(body).sumFor("querylens_request_statements_count", endpoint) == 2,
                    Duration.ofSeconds(30), "both requests' units of work");
            Prometheus p = Prometheus.parse(metrics);
            assertEquals(6.0, p.sumFor("querylens_statements_total", endpoint), metrics);
            assertEquals(2.0, p.sumFor("querylens_statements_total", "none"), metrics);

            // the executor's class file cannot hold the dynamic constant the JDK's executors load their hook from
            for (int i = 0; i < 2; i++) {
                assertEquals("answer", ChildJvm.get("http://127.0.0.1:" + appPort + "/shop/reports/42"));
            }
            String report = "GET /reports/{id}";
            metrics = ChildJvm.poll("http://127.0.0.1:" + metricsPort + "/metrics",
                    body -> Prometheus.parse(body).sumFor("querylens_request_statements_count", report) == 2,
                    Duration.ofSeconds(30), "both reports' units of work");
            p = Prometheus.parse(metrics);
            assertEquals(4.0, p.sumFor("querylens_statements_total", report), "the task's SELECT counts for its request: "
                    + metrics);
            assertEquals(2.0, p.sumFor("querylens_statements_total", "none"), metrics);
            assertFalse(app.output().contains("could not instrument"), "no transform errors");
        }
    }
}
