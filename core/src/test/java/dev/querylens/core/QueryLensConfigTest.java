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
        for (Setting<?> s : QueryLensConfig.SETTINGS) {
            assertTrue(s.key().startsWith("querylens."), s.key());
            assertEquals(s.defaultValue(), c.get(s), s.key());
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
        assertEquals(Duration.ofMillis(500), Setting.parseDuration("500ms"));
        assertEquals(Duration.ofSeconds(30), Setting.parseDuration("30s"));
        assertEquals(Duration.ofMinutes(10), Setting.parseDuration("10m"));
        assertEquals(Duration.ofHours(1), Setting.parseDuration("1h"));
        assertEquals(Duration.ofMillis(250), Setting.parseDuration("250"));
        assertEquals(Duration.ofMinutes(5), Setting.parseDuration("PT5M"));
        assertNull(Setting.parseDuration("5 minutes"));
        assertNull(Setting.parseDuration("PTX"));
        assertNull(Setting.parseDuration(""));
        assertNull(Setting.parseDuration("9223372036854775807d"), "too big for a Duration: not accepted, not thrown");
        assertNull(Setting.parseDuration("PT99999999999999999999H"));
        assertEquals("5m", Setting.durationText(Duration.ofMinutes(5)));
        assertEquals("250ms", Setting.durationText(Duration.ofMillis(250)));
        assertEquals("0", Setting.durationText(Duration.ZERO));
        assertEquals("PT0.0000005S", Setting.durationText(Duration.ofNanos(500)));
    }

    @Test
    void typedValuesAreCheckedLikeText() {
        QueryLensConfig c = QueryLensConfig.builder()
                .set(QueryLensConfig.NPLUSONE_THRESHOLD, 3)
                .set(QueryLensConfig.LOG_FINDING_INTERVAL, Duration.ofSeconds(30))
                .build();
        assertEquals(3, c.nPlusOneThreshold());
        assertEquals(Duration.ofSeconds(30), c.logFindingInterval());
        assertEquals(Map.of("querylens.nplusone.threshold", "3", "querylens.log.finding-interval", "30s"), c.values());
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> QueryLensConfig.builder()
                .set(QueryLensConfig.EXPLAIN_STATEMENT_TIMEOUT, Duration.ofDays(1))
                .set(QueryLensConfig.SEQSCAN_MIN_ROWS, -1L)
                .build());
        assertEquals(List.of(
                "querylens.explain.statement-timeout='1d' is not accepted; expected a duration from 1s to 10m "
                        + "(such as 500ms, 30s, 5m, 1h, 1d or ISO-8601 PT5M) (default 2s)",
                "querylens.seqscan.min-rows='-1' is not accepted; expected a whole number from 0 to 1000000000000 (default 10000)"),
                e.problems());
    }

    @Test
    void seqScanMinRowsZeroIsValidAndStartsALens() {
        QueryLensConfig c = QueryLensConfig.from(Map.of("querylens.seqscan.min-rows", "0"));
        assertEquals(0, c.seqScanMinRows());
        try (QueryLens lens = QueryLens.builder().meterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                .config(c).build()) {
            assertEquals(0, lens.config().seqScanMinRows());
        }
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
