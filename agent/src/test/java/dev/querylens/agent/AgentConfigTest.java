package dev.querylens.agent;

import dev.querylens.core.Setting;
import dev.querylens.core.testing.GeneratedFiles;
import dev.querylens.core.testing.SettingEdges;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentConfigTest {

    private final List<String> problems = new ArrayList<>();

    private AgentConfig load(String args, Map<String, String> sys, Map<String, String> env) {
        Properties p = new Properties();
        p.putAll(sys);
        return AgentConfig.load(args, p, env, problems::add);
    }

    @Test
    void defaults() {
        AgentConfig c = load(null, Map.of(), Map.of());
        assertEquals(9466, c.port());
        assertEquals("127.0.0.1", c.host());
        assertTrue(c.micrometerBridge());
        assertTrue(c.enabled());
        assertEquals(5, c.core().nPlusOneThreshold());
        assertEquals(List.of(), problems);
    }

    @Test
    void agentArgumentBeatsSystemPropertyBeatsEnvironment() {
        AgentConfig c = load("nplusone.threshold=3",
                Map.of("querylens.nplusone.threshold", "4", "querylens.duplicates.threshold", "6"),
                Map.of("QUERYLENS_NPLUSONE_THRESHOLD", "7", "QUERYLENS_DUPLICATES_THRESHOLD", "8",
                        "QUERYLENS_ENDPOINTS_MAX", "9"));
        assertEquals(3, c.core().nPlusOneThreshold());
        assertEquals(6, c.core().duplicatesThreshold());
        assertEquals(9, c.core().endpointsMax());
        assertEquals(AgentConfig.Source.AGENT_ARGUMENT, c.sources().get("querylens.nplusone.threshold"));
        assertEquals(AgentConfig.Source.SYSTEM_PROPERTY, c.sources().get("querylens.duplicates.threshold"));
        assertEquals(AgentConfig.Source.ENVIRONMENT, c.sources().get("querylens.endpoints.max"));
        assertEquals(List.of(), problems);
    }

    @Test
    void environmentNamesTurnDotsAndDashesIntoUnderscores() {
        assertEquals("QUERYLENS_UNIT_MAX_FINGERPRINTS", AgentConfig.environmentName("querylens.unit.max-fingerprints"));
        AgentConfig c = load(null, Map.of(), Map.of("QUERYLENS_UNIT_MAX_FINGERPRINTS", "77",
                "QUERYLENS_PROMETHEUS_PORT", "9470", "QUERYLENS_TEST_POSTGRES_URL", "jdbc:whatever"));
        assertEquals(77, c.core().unitMaxFingerprints());
        assertEquals(9470, c.port());
        assertEquals(List.of(), problems, "unknown QUERYLENS_* variables are not the agent's business");
    }

    @Test
    void agentArgumentsKeepCommasOfListValues() {
        AgentConfig c = load("querylens.callsite.exclude-packages=com.acme.db,com.acme.jdbc,prometheus.port=0", Map.of(), Map.of());
        assertEquals(List.of("com.acme.db", "com.acme.jdbc"), c.core().callSiteExcludePackages());
        assertEquals(0, c.port());
        assertEquals(List.of(), problems);
    }

    @Test
    void badValuesAreReportedAndReplacedByDefaults() {
        AgentConfig c = load("oops,prometheus.port=99999,nplusone.threshold=banana,micrometer.bridge=maybe",
                Map.of("querylens.prometheus.host", " ", "querylens.no.such.key", "1"), Map.of());
        assertEquals(9466, c.port());
        assertEquals("127.0.0.1", c.host());
        assertTrue(c.micrometerBridge());
        assertEquals(5, c.core().nPlusOneThreshold());
        assertEquals(6, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("querylens.prometheus.port='99999' is not accepted")
                && p.endsWith("(from agent argument); the default is used")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("querylens.nplusone.threshold='banana' is not accepted")
                && p.contains("(from agent argument)")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("unknown key 'querylens.no.such.key'")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("agent argument 'oops' is not key=value")), problems.toString());
    }

    /** Every key, core's and the agent's, from each of the three sources: accepted at its edges, else one line and the default. */
    @TestFactory
    Stream<DynamicTest> everyKeyAtItsEdgesFromEverySource() {
        return AgentConfig.allSettings().stream().map(s -> DynamicTest.dynamicTest(s.key(), () -> {
            SettingEdges e = SettingEdges.of(s);
            for (String ok : List.of(e.min(), e.max())) {
                problems.clear();
                // agent arguments keep list values' commas; a value may not contain '=' there (none at the edges)
                AgentConfig c = load(s.key() + "=" + ok, Map.of(), Map.of());
                assertEquals(List.of(), problems, s.key() + "=" + ok);
                assertEquals(s.read(ok), valueOf(c, s));
            }
            for (String bad : e.rejected()) {
                for (AgentConfig.Source source : List.of(AgentConfig.Source.AGENT_ARGUMENT,
                        AgentConfig.Source.SYSTEM_PROPERTY, AgentConfig.Source.ENVIRONMENT)) {
                    problems.clear();
                    AgentConfig c = switch (source) {
                        case AGENT_ARGUMENT -> load(s.key() + "=" + bad, Map.of(), Map.of());
                        case SYSTEM_PROPERTY -> load(null, Map.of(s.key(), bad), Map.of());
                        default -> load(null, Map.of(), Map.of(AgentConfig.environmentName(s.key()), bad));
                    };
                    assertEquals(s.defaultValue(), valueOf(c, s), s.key() + "=" + bad + " from " + source);
                    assertEquals(1, problems.size(), problems.toString());
                    String line = problems.get(0);
                    assertTrue(line.startsWith(s.key() + "='" + bad.trim() + "' is not accepted; expected " + s.accepted())
                            && line.contains("(from " + source + ")") && line.endsWith("the default is used"), line);
                }
            }
        }));
    }

    private static Object valueOf(AgentConfig c, Setting<?> s) {
        if (s == AgentConfig.PROMETHEUS_PORT) {
            return c.port();
        }
        if (s == AgentConfig.PROMETHEUS_HOST) {
            return c.host();
        }
        if (s == AgentConfig.MICROMETER_BRIDGE) {
            return c.micrometerBridge();
        }
        return c.core().get(s);
    }

    @Test
    void docsListTheAgentsOwnKeys() throws Exception {
        GeneratedFiles.checkSection(GeneratedFiles.CONFIGURATION_DOC, "agent keys",
                GeneratedFiles.settingsTable(AgentConfig.AGENT_SETTINGS));
    }

    @Test
    void turnedOff() {
        assertFalse(load("enabled=false", Map.of(), Map.of()).enabled());
        assertFalse(load(null, Map.of(), Map.of("QUERYLENS_ENABLED", "false")).enabled());
    }
}
