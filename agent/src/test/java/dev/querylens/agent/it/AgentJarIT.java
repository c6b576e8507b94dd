package dev.querylens.agent.it;

import dev.querylens.core.QueryLens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built jar itself, and how the agent starts in the smallest application. */
@ExtendWith(DumpLogsOnFailure.class)
class AgentJarIT {

    static final String HELLO = "dev.querylens.testapps.hello.Hello";

    @Test
    void everyCarriedLibraryIsShadedAndTheManifestMakesItAnAgent() throws Exception {
        try (JarFile jar = new JarFile(ChildJvm.AGENT_JAR.toFile())) {
            List<String> leaked = new ArrayList<>();
            Collections.list(jar.entries()).forEach(e -> {
                String n = e.getName();
                if (!n.startsWith("dev/querylens/") && !n.startsWith("META-INF/") && !n.equals("dev/")) {
                    leaked.add(n);
                }
                if (n.endsWith(".class") && n.startsWith("dev/querylens/") && !n.startsWith("dev/querylens/agent/")) {
                    leaked.add(n); // core too is relocated, so an application's own copy never clashes
                }
            });
            assertEquals(List.of(), leaked, "entries outside dev/querylens/agent and META-INF");
            assertNotNull(jar.getEntry("dev/querylens/agent/shaded/net/bytebuddy/agent/builder/AgentBuilder.class"));
            assertNotNull(jar.getEntry("dev/querylens/agent/shaded/core/QueryLens.class"));
            assertNotNull(jar.getEntry("dev/querylens/agent/micrometer/QuerylensAgentBridge.classdata"));
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("dev.querylens.agent.QueryLensAgent", main.getValue("Premain-Class"));
            assertEquals("dev.querylens.agent.QueryLensAgent", main.getValue("Agent-Class"));
            assertEquals("true", main.getValue("Can-Retransform-Classes"));
            assertNotNull(jar.getEntry("META-INF/services/dev.querylens.agent.shaded.org.slf4j.spi.SLF4JServiceProvider"));
        }
    }

    /**
     * A connection wrapped by the agent's shaded copy of core (its JDBC wrappers relocated under
     * {@code dev.querylens.agent.shaded}) is recognised as Querylens's by the application's own copy, and the other way
     * round, so that neither wraps and counts it again.
     */
    @Test
    void theAgentsShadedWrappersAndCoresOwnRecogniseEachOther() throws Exception {
        try (URLClassLoader agent = new URLClassLoader(new URL[]{ChildJvm.AGENT_JAR.toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
             Connection raw = DriverManager.getConnection("jdbc:h2:mem:shaded-wrappers")) {
            Class<?> shaded = agent.loadClass("dev.querylens.agent.shaded.core.QueryLens");
            Object builder = shaded.getMethod("builder").invoke(null);
            Object lens = builder.getClass().getMethod("build").invoke(builder);
            try {
                Method wrap = shaded.getMethod("wrapConnection", Connection.class, String.class);
                Method shadedIsWrapped = shaded.getMethod("isWrapped", Connection.class);
                Connection byAgent = (Connection) wrap.invoke(lens, raw, "h2");
                assertTrue(byAgent.getClass().getName().startsWith("dev.querylens.agent.shaded.core.jdbc."),
                        byAgent.getClass().getName());
                assertTrue(QueryLens.isWrapped(byAgent));
                QueryLens own = QueryLens.builder().build();
                try {
                    assertSame(byAgent, own.wrapConnection(byAgent, "h2"));
                    Connection byCore = own.wrapConnection(raw, "h2");
                    assertTrue(byCore.getClass().getName().startsWith("dev.querylens.core.jdbc."));
                    assertEquals(true, shadedIsWrapped.invoke(null, byCore));
                    assertSame(byCore, wrap.invoke(lens, byCore, "h2"));
                    assertEquals(false, shadedIsWrapped.invoke(null, raw));
                } finally {
                    own.close();
                }
            } finally {
                ((AutoCloseable) lens).close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void turnedOffItInstallsNothing(Jdk jdk) throws Exception {
        try (ChildJvm app = ChildJvm.start("hello-disabled-" + jdk, jdk,
                List.of(ChildJvm.javaagent("enabled=false")), ChildJvm.APPS_DIR.resolve("classes").toString(), HELLO, List.of())) {
            app.awaitOutput("HELLO from the application", Duration.ofSeconds(60));
            String out = app.output();
            assertTrue(out.contains("[querylens] turned off by querylens.enabled=false (agent argument); nothing is instrumented"), out);
            assertFalse(out.contains("installed"), out);
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void portZeroTurnsTheEndpointOffAndEnvironmentVariablesAreRead(Jdk jdk) throws Exception {
        try (ChildJvm app = ChildJvm.start("hello-port-zero-" + jdk, jdk,
                List.of(ChildJvm.javaagent(null), "-Dquerylens.prometheus.port=0", "-Dquerylens.unknown.key=1",
                        // valid edge: starts; a duration past Duration's nanoseconds: one line, the default
                        "-Dquerylens.seqscan.min-rows=0", "-Dquerylens.explain.statement-timeout=PT1000000000H"),
                ChildJvm.APPS_DIR.resolve("classes").toString(), HELLO, List.of())) {
            app.awaitOutput("HELLO from the application", Duration.ofSeconds(60));
            String out = app.output();
            assertTrue(out.contains("[querylens] agent 0.1.0-SNAPSHOT installed; metrics endpoint off (querylens.prometheus.port=0)"), out);
            assertTrue(out.contains("[querylens] configuration: unknown key 'querylens.unknown.key'"), out);
            assertTrue(out.contains("[querylens] configuration: querylens.explain.statement-timeout='PT1000000000H' is not "
                    + "accepted; expected a duration from 1s to 10m"), out);
            assertEquals(3, out.lines().filter(l -> l.startsWith("[querylens]")).count(), out);
            // nothing else on the application's stderr: no JVM warnings caused by the agent (Unsafe, CDS)
            assertEquals(List.of("HELLO from the application"),
                    out.lines().filter(l -> !l.startsWith("[querylens]") && !l.startsWith("# ")).toList(), out);
        }
    }
}
