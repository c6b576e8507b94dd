package dev.querylens.agent.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Spring Boot application shaped like Spring PetClinic, started with the agent: its own code lives under
 * {@code org.springframework.samples}, and its owner list is a Thymeleaf view that reads each owner's lazy pets
 * while it renders (open session in view), so no controller frame is on the stack when the N+1 runs.
 */
@ExtendWith(DumpLogsOnFailure.class)
class ViewRenderingIT {

    static final String MAIN = "org.springframework.samples.querylens.PetClinicApplication";

    @Test
    void aLazyCollectionReadInAViewNamesTheHandlerMethodOfAnApplicationUnderOrgSpringframework() throws Exception {
        int appPort = ChildJvm.freePort();
        int metricsPort = ChildJvm.freePort();
        try (ChildJvm app = ChildJvm.start("petclinic-views", Jdk.DEFAULT,
                List.of(ChildJvm.javaagent(null), "-Dquerylens.prometheus.port=" + metricsPort),
                ChildJvm.appClassPath("spring-app.classpath"), MAIN,
                List.of("--server.port=" + appPort, "--spring.jpa.open-in-view=true"))) {
            app.awaitOutput("PetClinicApplication READY", Duration.ofSeconds(120));
            String page = ChildJvm.get("http://127.0.0.1:" + appPort + "/owners");
            assertTrue(page.contains("owner6") && page.contains("pet6b"), page);

            String findings = ChildJvm.poll("http://127.0.0.1:" + metricsPort + "/querylens/findings",
                    body -> body.contains("n-plus-one"), Duration.ofSeconds(30), "the N+1 of the owners' view");
            assertTrue(findings.contains("\"endpoint\" : \"GET /owners\""), findings);
            assertTrue(findings.contains("\"callSite\" : \"org.springframework.samples.querylens.OwnerController.processFindForm\""),
                    findings);
            assertTrue(findings.contains("\"during\" : \"view rendering\""), findings);
            assertTrue(findings.contains("JOIN FETCH") && findings.contains("spring.jpa.open-in-view=false"), findings);
            assertEquals(1, findings.split("\"kind\"", -1).length - 1, findings);

            String out = app.output();
            assertTrue(out.contains("[querylens] N+1 in GET /owners")
                    && out.contains("loaded while the view of org.springframework.samples.querylens.OwnerController.processFindForm rendered"),
                    "the finding's WARN line");
            assertFalse(out.contains("could not instrument"), "no transform errors");
        }
    }
}
