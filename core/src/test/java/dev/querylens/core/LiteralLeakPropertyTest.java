package dev.querylens.core;

import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.sql.Fingerprint;
import dev.querylens.core.sql.Operation;
import dev.querylens.core.sql.SqlFingerprinter;
import dev.querylens.core.testing.TestDatabases;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No literal leaves the process: statements carry marker literals in every position and in every spelling of a
 * literal that some dialect reads (MySQL double-quoted and backslash-escaped strings, PostgreSQL dollar quotes with
 * any tag, escape, Unicode and bit strings, numbers of every radix...), and no marker may reach the fingerprint,
 * the findings, their JSON, the WARN lines or the meters. SELECTs run through a real {@link QueryLens} over H2, in
 * a unit of work that makes an N+1 and a duplicate finding of them (H2 rejects most dialects' spellings; a failed
 * statement is still recorded, as in an application); every statement is read by the fingerprinter.
 */
class LiteralLeakPropertyTest {

    private static HikariDataSource h2;

    @BeforeContainer
    static void createTable() throws SQLException {
        h2 = TestDatabases.h2();
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(100), b VARCHAR(100), data VARCHAR(100))");
        }
    }

    @AfterContainer
    static void close() {
        h2.close();
    }

    /** The spellings of a literal; each renders a marker (and noise) as that literal. */
    enum Spelling {
        SINGLE, SINGLE_BACKSLASH, DOUBLE, DOUBLE_BACKSLASH, E_STRING, U_AMPERSAND, NATIONAL, INTRODUCER,
        INTRODUCER_DOUBLE, DOLLAR, DOLLAR_TAG, DOLLAR_NON_ASCII_TAG, ORACLE_Q, TYPED, JDBC_ESCAPE,
        INTEGER, NEGATIVE, DECIMAL, EXPONENT, GROUPED_DIGITS, HEX_NUMBER, HEX_STRING, BIT_STRING, BINARY_NUMBER
    }

    private static final List<Spelling> NUMBERS = List.of(Spelling.INTEGER, Spelling.NEGATIVE, Spelling.DECIMAL,
            Spelling.EXPONENT, Spelling.GROUPED_DIGITS, Spelling.HEX_NUMBER, Spelling.HEX_STRING, Spelling.BIT_STRING,
            Spelling.BINARY_NUMBER);

    /**
     * The spellings one database writes, so that a statement is valid SQL of at least one dialect: a backslash
     * escape (MySQL) and a standard string that ends in a backslash (PostgreSQL) never meet in one text.
     */
    private static final List<List<Spelling>> DIALECTS = List.of(
            List.of(Spelling.SINGLE_BACKSLASH, Spelling.DOUBLE, Spelling.DOUBLE_BACKSLASH, Spelling.INTRODUCER,
                    Spelling.INTRODUCER_DOUBLE, Spelling.TYPED, Spelling.JDBC_ESCAPE),
            List.of(Spelling.SINGLE, Spelling.E_STRING, Spelling.U_AMPERSAND, Spelling.NATIONAL, Spelling.DOLLAR,
                    Spelling.DOLLAR_TAG, Spelling.DOLLAR_NON_ASCII_TAG, Spelling.TYPED, Spelling.JDBC_ESCAPE),
            List.of(Spelling.SINGLE, Spelling.ORACLE_Q, Spelling.NATIONAL, Spelling.TYPED));

    /** Characters that trouble lexers, put beside the marker inside a string. */
    private static final List<String> NOISE = List.of("", " ", "'", "\\", "\"", "--", "/*", "*/", "#", ";", "?",
            "$", "é", "ä", "\n", "%", ":x", "@b", "`", "]", "\\'", "$$");

    /** One literal: its spelling, the marker it must not leak, and a function of a variant number to its text. */
    record Literal(Spelling spelling, String marker, IntFunction<String> text) {
        @Override
        public String toString() {
            return text.apply(0);
        }
    }

    record Case(String template, Literal first, Literal second) {
        String sql(int variant) {
            return template.replace("#1", first.text().apply(variant)).replace("#2", second.text().apply(variant));
        }

        List<String> markers() {
            return List.of(first.marker(), second.marker());
        }

        @Override
        public String toString() {
            return sql(0);
        }
    }

    private static final List<String> SELECTS = List.of(
            "select id from t where a = #1 and b = #2",
            "select #1, #2 from t where id = ?",
            "select id from t where #1 = a or #2 <> b",
            "select id from t where a in (#1, #2)",
            "select id from t where a between #1 and #2",
            "select id from t where a like #1 escape '!' and b = #2",
            "select case when a = #1 then #2 else b end from t",
            "select lower(#1), coalesce(a, #2) from t",
            "with c as (select #1 as v from t where b = #2) select v from c",
            "select exists (select 1 from t where a = #1 and b = #2)",
            "select id from t where a = ? and b <> #1 order by id limit #2",
            "select id from t where cast(#1 as varchar(20)) = a and b = #2::text",
            "select id from t where data ->> #1 = #2",
            "select * from t where (a, b) in ((#1, #2), (?, ?))",
            "select id from t /* c */ where a = #1 -- tail\n and b = #2",
            "select id from t where a = #1 union all select id from t where b = #2",
            "select id, #1 as x from (select id from t where a = #2) d",
            "SELECT \"t\".\"id\" FROM \"t\" WHERE \"t\".\"a\" = #1 AND \"b\" = #2");

    private static final List<String> WRITES = List.of(
            "insert into t (a, b) values (#1, #2)",
            "insert into t (a, b) values (#1, ?), (#2, ?)",
            "update t set a = #1, b = #2 where id = ?",
            "delete from t where a = #1 or b = #2",
            "insert into t (a) values (#1) on conflict (a) do update set b = #2",
            "insert into t (a) values (#1) on duplicate key update b = #2",
            "merge into t using (select #1 as a) s on t.a = s.a when matched then update set b = #2",
            "update \"t\" set \"a\" = #1 where \"b\" = #2");

    @Provide
    Arbitrary<Case> selects() {
        return cases(SELECTS);
    }

    @Provide
    Arbitrary<Case> statements() {
        List<String> all = new ArrayList<>(SELECTS);
        all.addAll(WRITES);
        return cases(all);
    }

    private static Arbitrary<Case> cases(List<String> templates) {
        return Arbitraries.of(DIALECTS).flatMap(dialect -> {
            List<Spelling> spellings = new ArrayList<>(dialect);
            spellings.addAll(NUMBERS);
            return Combinators.combine(Arbitraries.of(templates), literal(spellings), literal(spellings)).as(Case::new);
        });
    }

    private static Arbitrary<Literal> literal(List<Spelling> spellings) {
        return Combinators.combine(Arbitraries.of(spellings),
                Arbitraries.strings().withCharRange('a', 'z').ofLength(8),
                Arbitraries.longs().between(10_000_000L, 99_999_999L),
                Arbitraries.of(NOISE), Arbitraries.of(NOISE)).as(LiteralLeakPropertyTest::literal);
    }

    private static Literal literal(Spelling spelling, String letters, long digits, String before, String after) {
        String word = "zq" + letters;
        String number = "7391" + digits;
        String bits = "1101" + Long.toBinaryString(digits | (1L << 26)).substring(1);
        return switch (spelling) {
            case SINGLE -> text(spelling, word, v -> "'" + (before + word + v + after).replace("'", "''") + "'");
            case SINGLE_BACKSLASH, INTRODUCER -> text(spelling, word, v -> (spelling == Spelling.INTRODUCER ? "_utf8mb4" : "")
                    + "'" + backslashed(before + word + v + after, '\'') + "'");
            case DOUBLE -> text(spelling, word, v -> "\"" + (before + word + v + after).replace("\\", "\\\\")
                    .replace("\"", "\"\"") + "\"");
            case DOUBLE_BACKSLASH, INTRODUCER_DOUBLE -> text(spelling, word, v -> (spelling == Spelling.INTRODUCER_DOUBLE ? "_latin1" : "")
                    + "\"" + backslashed(before + word + v + after, '"') + "\"");
            case E_STRING -> text(spelling, word, v -> "E'" + backslashed(before + word + v + after, '\'') + "'");
            case U_AMPERSAND -> text(spelling, word, v -> "U&'" + (before + word + v + after).replace("\\", "\\\\")
                    .replace("'", "''") + "'");
            case NATIONAL -> text(spelling, word, v -> "N'" + (before + word + v + after).replace("'", "''") + "'");
            case DOLLAR -> text(spelling, word, v -> "$$" + (before + word + v + after).replace("$", "") + "$$");
            case DOLLAR_TAG -> text(spelling, word, v -> "$q1$" + (before + word + v + after).replace("$", "") + "$q1$");
            case DOLLAR_NON_ASCII_TAG -> text(spelling, word, v -> "$ä$" + (before + word + v + after).replace("$", "") + "$ä$");
            case ORACLE_Q -> text(spelling, word, v -> "q'[" + (before + word + v + after).replace("]", "") + "]'");
            case TYPED -> text(spelling, word, v -> "DATE '" + (word + v).replace("'", "''") + "'");
            case JDBC_ESCAPE -> text(spelling, word, v -> "{ts '" + (word + v) + "'}");
            case INTEGER -> text(spelling, number, v -> number + v);
            case NEGATIVE -> text(spelling, number, v -> "-" + number + v);
            case DECIMAL -> text(spelling, number, v -> number + v + ".25");
            case EXPONENT -> text(spelling, number, v -> "." + number + v + "e-3");
            case GROUPED_DIGITS -> text(spelling, number, v -> number + "_00" + v);
            case HEX_NUMBER -> text(spelling, number, v -> "0x" + number + v);
            case HEX_STRING -> text(spelling, number, v -> "X'" + number + v + "0'");
            case BIT_STRING -> text(spelling, bits, v -> "B'" + bits + (v % 2) + "'");
            case BINARY_NUMBER -> text(spelling, bits, v -> "0b" + bits + (v % 2));
        };
    }

    private static Literal text(Spelling spelling, String marker, IntFunction<String> text) {
        return new Literal(spelling, marker, text);
    }

    private static String backslashed(String content, char quote) {
        return content.replace("\\", "\\\\").replace(String.valueOf(quote), "\\" + quote);
    }

    @Property(tries = 3000)
    void noMarkerReachesTheFingerprint(@ForAll("statements") Case c) {
        SqlFingerprinter fingerprinter = new SqlFingerprinter(65_536, 0);
        for (int variant = 0; variant < 2; variant++) {
            Fingerprint fp = fingerprinter.parse(c.sql(variant)).fingerprint();
            assertNoMarker(c, fp.normalized() + " | " + fp.table() + " | " + fp.problem());
        }
    }

    /** SQL longer than the bound is read on its prefix: a cut may leave any string open. */
    @Property(tries = 3000)
    void noMarkerSurvivesACut(@ForAll("statements") Case c, @ForAll @IntRange(min = 8, max = 160) int length) {
        Fingerprint fp = new SqlFingerprinter(length, 0).parse(c.sql(0)).fingerprint();
        assertNoMarker(c, fp.normalized() + " | " + fp.table() + " | " + fp.problem());
    }

    @Property(tries = 200)
    void noMarkerReachesFindingsJsonLogsOrMeters(@ForAll("selects") Case c) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PrintStream err = System.err;
        try (QueryLens lens = QueryLens.builder().meterRegistry(registry)
                .config(Map.of(QueryLensConfig.EXPLAIN_ENABLED.key(), "false")).build()) {
            DataSource ds = lens.wrap(h2, "main");
            System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
            try (UnitOfWork work = lens.begin("GET /orders"); Connection conn = ds.getConnection()) {
                run(conn, "select id from t where a = " + c.first().text().apply(9)); // the loop's parent
                for (int variant = 0; variant < 5; variant++) {
                    run(conn, c.sql(variant)); // values that vary: an N+1
                }
                for (int k = 0; k < 3; k++) {
                    run(conn, c.sql(7)); // the same values: a duplicate
                }
            } finally {
                System.setErr(err);
            }
            List<FindingSummary> findings = lens.findings().findings();
            StringBuilder out = new StringBuilder();
            for (FindingSummary f : findings) {
                out.append(f).append('\n');
            }
            out.append(FindingsJson.toJson(findings)).append('\n');
            out.append(logged.toString(StandardCharsets.UTF_8)).append('\n');
            for (Meter m : registry.getMeters()) {
                out.append(m.getId().getName());
                for (Tag tag : m.getId().getTags()) {
                    out.append(' ').append(tag.getKey()).append('=').append(tag.getValue());
                }
                out.append('\n');
            }
            assertNoMarker(c, out.toString());
            SqlFingerprinter fingerprinter = new SqlFingerprinter(65_536, 0);
            Fingerprint fp = fingerprinter.parse(c.sql(0)).fingerprint();
            if (fp.operation() == Operation.SELECT && fp.equals(fingerprinter.parse(c.sql(1)).fingerprint())) {
                // read as a SELECT, the same for every variant: the rules analyse it, so the loop is found and its
                // text was checked (a spelling that reads as another operation is no rule's business)
                assertFalse(findings.isEmpty(), () -> "no finding for " + c);
            }
        }
    }

    private static void run(Connection conn, String sql) {
        try (Statement s = conn.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            // most dialects' spellings are not H2's: the failed statement is still recorded
        }
    }

    private static void assertNoMarker(Case c, String output) {
        String lower = output.toLowerCase(Locale.ROOT);
        for (String marker : c.markers()) {
            assertTrue(!lower.contains(marker.toLowerCase(Locale.ROOT)),
                    () -> "marker " + marker + " of " + c + " leaked into:\n" + output);
        }
    }
}
