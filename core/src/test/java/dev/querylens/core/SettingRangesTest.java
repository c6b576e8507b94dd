package dev.querylens.core;

import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.explain.Dialect;
import dev.querylens.core.explain.ExplainCommand;
import dev.querylens.core.explain.ExplainTimeouts;
import dev.querylens.core.testing.Sampling;
import dev.querylens.core.testing.SettingEdges;
import dev.querylens.core.testing.TestDatabases;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every key of {@link QueryLensConfig#SETTINGS} at its minimum, its maximum, one past each end and garbage, through
 * the strict, lenient and typed readers. The cases come from the definitions, so a new key is covered without
 * touching this test; a new {@link Setting.Kind} fails here until it says what its edges are.
 */
class SettingRangesTest {

    @TestFactory
    Stream<DynamicTest> everyKeyAtItsEdges() {
        return QueryLensConfig.SETTINGS.stream().map(s -> DynamicTest.dynamicTest(s.key(), () -> {
            SettingEdges e = SettingEdges.of(s);
            for (String ok : new String[]{e.min(), e.max()}) {
                QueryLensConfig c = QueryLensConfig.from(Map.of(s.key(), ok));
                assertEquals(s.read(ok), c.get(s), s.key() + "=" + ok);
                assertEquals(ok, s.text(c.get(s)), "reads back as written");
                assertTrue(s.accepts(c.get(s)), "typed reader agrees");
                QueryLensConfig.builder().set(cast(s), c.get(s)).build();
            }
            for (String value : e.rejected()) {
                InvalidConfigException strict = assertThrows(InvalidConfigException.class,
                        () -> QueryLensConfig.from(Map.of(s.key(), value)), s.key() + "=" + value);
                assertEquals(List.of(s.rejection(value)), strict.problems());
                String p = strict.problems().get(0);
                assertTrue(p.contains(s.key()) && p.contains("'" + value + "'") && p.contains(s.accepted()), p);

                List<String> problems = new ArrayList<>();
                QueryLensConfig lenient = QueryLensConfig.lenient(Map.of(s.key(), value), problems::add);
                assertEquals(s.defaultValue(), lenient.get(s), "lenient falls back to the default");
                assertEquals(1, problems.size(), problems.toString());
            }
            if (e.above() != null && s.kind() != Setting.Kind.NAMES && s.kind() != Setting.Kind.PATHS) {
                Object pastMax = s.kind() == Setting.Kind.INTEGER ? (Object) ((Integer) s.max() + 1)
                        : s.kind() == Setting.Kind.LONG ? (Object) ((Long) s.max() + 1)
                        : s.kind() == Setting.Kind.DURATION ? ((Duration) s.max()).plusMillis(1) : null;
                if (pastMax != null) {
                    InvalidConfigException typed = assertThrows(InvalidConfigException.class,
                            () -> QueryLensConfig.builder().set(cast(s), pastMax).build());
                    assertTrue(typed.getMessage().contains(s.key()), typed.getMessage());
                }
            }
        }));
    }

    @SuppressWarnings("unchecked")
    private static Setting<Object> cast(Setting<?> s) {
        return (Setting<Object>) s;
    }

    @Test
    void everyDefaultIsInItsRangeAndDescribed() {
        for (Setting<?> s : QueryLensConfig.SETTINGS) {
            assertEquals(s.defaultValue(), s.read(s.defaultText()), s.key());
            assertTrue(!s.description().isBlank() && !s.accepted().isBlank(), s.key());
        }
        assertEquals(QueryLensConfig.SETTINGS.size(),
                QueryLensConfig.SETTINGS.stream().map(Setting::key).distinct().count(), "keys are unique");
    }

    @Test
    void durationsTooBigForADurationOrForNanosecondsAreRejectedNotThrown() {
        for (String huge : List.of("1000000d", "PT1000000000H", "106751d", "9223372036854775807d",
                "99999999999999999999s", "PT9999999999999999999H", "-9223372036854775808d")) {
            for (Setting<?> s : QueryLensConfig.SETTINGS) {
                if (s.kind() == Setting.Kind.DURATION) {
                    assertThrows(InvalidConfigException.class, () -> QueryLensConfig.from(Map.of(s.key(), huge)),
                            s.key() + "=" + huge);
                }
            }
        }
    }

    @Test
    void everyDialectsExplainSettingsStayInRangeAtTheTimeoutsEdges() {
        for (String edge : new String[]{"min", "max"}) {
            Duration statement = edge.equals("min") ? QueryLensConfig.EXPLAIN_STATEMENT_TIMEOUT.min() : QueryLensConfig.EXPLAIN_STATEMENT_TIMEOUT.max();
            Duration lock = edge.equals("min") ? QueryLensConfig.EXPLAIN_LOCK_TIMEOUT.min() : QueryLensConfig.EXPLAIN_LOCK_TIMEOUT.max();
            for (Dialect d : List.of(Dialect.POSTGRESQL, Dialect.MARIADB, Dialect.MYSQL, Dialect.H2)) {
                ExplainCommand.of(d, "SELECT 1", new ExplainTimeouts(statement, lock));
            }
            // PostgreSQL's statement_timeout and lock_timeout, H2's QUERY_TIMEOUT: milliseconds in a 32-bit int
            assertTrue(statement.toMillis() <= Integer.MAX_VALUE && lock.toMillis() <= Integer.MAX_VALUE);
            // MariaDB's max_statement_time and MySQL's lock_wait_timeout: at most one year
            assertTrue(statement.toSeconds() <= 31_536_000 && lock.toSeconds() <= 31_536_000);
        }
    }

    private static Map<String, String> everyKeyAt(boolean max) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Setting<?> s : QueryLensConfig.SETTINGS) {
            SettingEdges e = SettingEdges.of(s);
            values.put(s.key(), max ? e.max() : e.min());
        }
        values.put(QueryLensConfig.ENABLED.key(), "true");
        values.put(QueryLensConfig.EXPLAIN_ENABLED.key(), "true");
        values.put(QueryLensConfig.WEB_EXCLUDE_PATHS.key(), "/actuator");
        return values;
    }

    @Test
    void aLensWithEveryKeyAtItsMinimumRecordsStatements() throws Exception {
        runStatementsOn(TestDatabases.h2(), everyKeyAt(false), false);
    }

    @Test
    void aLensWithEveryKeyAtItsMaximumRecordsAndExplainsOnPostgresql() throws Exception {
        runStatementsOn(TestDatabases.postgres(2), everyKeyAt(true), true);
    }

    private static void runStatementsOn(HikariDataSource pool, Map<String, String> values, boolean expectExplain) throws Exception {
        String table = "ql_ranges_" + Long.toHexString(System.nanoTime());
        try (pool; Sampling sampling = new Sampling(values)) {
            QueryLens lens = sampling.lens;
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, status VARCHAR(10))");
                s.execute("INSERT INTO " + table + " VALUES (1, 'NEW'), (2, 'OLD')");
            }
            try {
                javax.sql.DataSource ds = lens.wrap(pool, "main");
                try (UnitOfWork unit = lens.begin("GET /edges"); Connection c = ds.getConnection()) {
                    for (int i = 0; i < 3; i++) {
                        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + table + " WHERE status = ?")) {
                            ps.setString(1, "NEW");
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                            }
                        }
                    }
                }
                assertEquals(3.0, sampling.registry.find(QueryLensMeters.STATEMENTS).counters().stream()
                        .mapToDouble(Counter::count).sum());
                if (expectExplain) {
                    sampling.await("an EXPLAIN with every key at its maximum",
                            () -> sampling.outcome("ok") + sampling.outcome("seqscan") >= 1);
                }
            } finally {
                try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                }
            }
        }
    }
}
