package dev.querylens.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryLensConfigTest {

    @Test
    void defaultsMatchTheDeclaredTable() {
        QueryLensConfig c = QueryLensConfig.defaults();
        assertTrue(c.enabled());
        assertEquals(5, c.nPlusOneThreshold());
        assertEquals(3, c.duplicatesThreshold());
        assertEquals(200, c.endpointsMax());
        assertEquals(500, c.findingsMax());
        assertEquals(Duration.ofMinutes(5), c.logFindingInterval());
        for (QueryLensConfig.Setting s : QueryLensConfig.SETTINGS) {
            assertTrue(s.key().startsWith("querylens."), s.key());
        }
    }

    @Test
    void valuesAreRead() {
        QueryLensConfig c = QueryLensConfig.from(Map.of(
                "querylens.nplusone.threshold", " 3 ",
                "querylens.enabled", "FALSE",
                "querylens.log.finding-interval", "PT30S",
                "querylens.callsite.exclude-packages", "com.acme.dao., org.jooq ,",
                "spring.datasource.url", "ignored: not ours"));
        assertEquals(3, c.nPlusOneThreshold());
        assertFalse(c.enabled());
        assertEquals(Duration.ofSeconds(30), c.logFindingInterval());
        assertEquals(List.of("com.acme.dao.", "org.jooq"), c.callSiteExcludePackages());
    }

    @Test
    void aBadValueNamesTheKeyTheValueAndWhatIsAccepted() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> QueryLensConfig.from(Map.of("querylens.nplusone.threshold", "1")));
        assertEquals(1, e.problems().size());
        String p = e.problems().get(0);
        assertTrue(p.contains("querylens.nplusone.threshold"), p);
        assertTrue(p.contains("'1'"), p);
        assertTrue(p.contains("a whole number from 2 to 100000"), p);
        assertTrue(p.contains("default 5"), p);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> QueryLensConfig.from(Map.of(
                "querylens.enabled", "yes",
                "querylens.log.finding-interval", "soon",
                "querylens.nplusone.treshold", "4")));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("unknown key 'querylens.nplusone.treshold'"), e.getMessage());
        assertTrue(e.getMessage().contains("querylens.nplusone.threshold"), "lists the known keys: " + e.getMessage());
        assertTrue(e.getMessage().contains("querylens.enabled='yes'"), e.getMessage());
    }

    @Test
    void lenientReadingFallsBackToDefaultsAndReportsEachProblem() {
        List<String> problems = new ArrayList<>();
        QueryLensConfig c = QueryLensConfig.lenient(Map.of(
                "querylens.nplusone.threshold", "many",
                "querylens.duplicates.threshold", "4"), problems::add);
        assertEquals(5, c.nPlusOneThreshold());
        assertEquals(4, c.duplicatesThreshold());
        assertEquals(1, problems.size());
        assertEquals(Map.of("querylens.duplicates.threshold", "4"), c.values());
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), QueryLensConfig.parseDuration("500ms"));
        assertEquals(Duration.ofSeconds(30), QueryLensConfig.parseDuration("30s"));
        assertEquals(Duration.ofMinutes(10), QueryLensConfig.parseDuration("10m"));
        assertEquals(Duration.ofHours(1), QueryLensConfig.parseDuration("1h"));
        assertEquals(Duration.ofMillis(250), QueryLensConfig.parseDuration("250"));
        assertEquals(Duration.ofMinutes(5), QueryLensConfig.parseDuration("PT5M"));
        assertNull(QueryLensConfig.parseDuration("5 minutes"));
        assertNull(QueryLensConfig.parseDuration("PTX"));
        assertNull(QueryLensConfig.parseDuration(""));
    }

    @Test
    void excludedPathsAreReadAsPathPrefixes() {
        assertEquals(List.of("/actuator"), QueryLensConfig.defaults().webExcludePaths());
        assertEquals(List.of(), QueryLensConfig.from(Map.of("querylens.web.exclude-paths", "")).webExcludePaths());
        assertEquals(List.of("/health", "/internal/"),
                QueryLensConfig.from(Map.of("querylens.web.exclude-paths", "/health, /internal/")).webExcludePaths());
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> QueryLensConfig.from(Map.of("querylens.web.exclude-paths", "actuator")));
        assertTrue(e.getMessage().contains("path prefixes starting with /"), e.getMessage());
    }
}
