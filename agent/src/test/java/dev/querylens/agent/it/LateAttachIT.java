package dev.querylens.agent.it;

import com.sun.tools.attach.VirtualMachine;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The agent attached to a running application (Agent-Class): HikariCP's DataSource, the servlet and the filter were
 * loaded, and run, before the agent came; retransformation instruments them, and the requests after the attach are
 * counted exactly.
 */
@ExtendWith(DumpLogsOnFailure.class)
class LateAttachIT {

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void instrumentsClassesLoadedBeforeTheAgent(Jdk jdk) throws Exception {
        int appPort = ChildJvm.freePort();
        int metricsPort = ChildJvm.freePort();
        try (ChildJvm app = ChildJvm.start("late-attach-" + jdk, jdk, List.of(),
                ChildJvm.appClassPath("plain-app.classpath"), "dev.querylens.testapps.plain.PlainApp",
                List.of(String.valueOf(appPort), ChildJvm.POSTGRES_URL))) {
            app.awaitOutput("PlainApp READY", Duration.ofSeconds(60));
            String base = "http://127.0.0.1:" + appPort;
            for (int i = 0; i < 3; i++) {
                ChildJvm.get(base + "/shops/1/owners-nplusone");
                ChildJvm.get(base + "/shops/1/owners-join");
            }

            VirtualMachine vm = VirtualMachine.attach(String.valueOf(app.pid()));
            try {
                vm.loadAgent(ChildJvm.AGENT_JAR.toString(), "prometheus.port=" + metricsPort);
            } finally {
                vm.detach();
            }
            app.awaitOutput("[querylens] agent 0.1.0-SNAPSHOT installed", Duration.ofSeconds(30));

            for (int i = 0; i < 2; i++) {
                ChildJvm.get(base + "/shops/1/owners-nplusone");
                ChildJvm.get(base + "/shops/1/owners-join");
            }
            String metrics = ChildJvm.poll("http://127.0.0.1:" + metricsPort + "/metrics",
                    body -> Prometheus.parse(body).sumFor("querylens_request_statements_count", PlainAppIT.NPLUSONE) == 2
                            && Prometheus.parse(body).sumFor("querylens_request_statements_count", PlainAppIT.JOIN) == 2,
                    Duration.ofSeconds(30), "the requests made after the attach");
            Prometheus p = Prometheus.parse(metrics);
            assertEquals(14.0, p.sumFor("querylens_statements_total", PlainAppIT.NPLUSONE), metrics);
            assertEquals(2.0, p.sumFor("querylens_statements_total", PlainAppIT.JOIN), metrics);
            assertEquals(2.0, p.sumFor("querylens_nplusone_total", PlainAppIT.NPLUSONE), metrics);
            assertEquals(16.0, p.sum("querylens_statements_total", s -> true), metrics);
            assertFalse(app.output().contains("could not instrument"), "no transform errors");
        }
    }
}
