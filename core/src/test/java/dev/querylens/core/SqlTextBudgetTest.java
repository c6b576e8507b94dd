package dev.querylens.core;

import dev.querylens.core.sql.Fingerprint;
import dev.querylens.core.sql.SqlFingerprinter;
import dev.querylens.core.testing.NullDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One budget of SQL text ({@code querylens.sql.text-budget}): no statement's normalized text is kept longer than
 * 4,096 characters, and the findings store and the fingerprint cache hold no more text than their shares of the
 * budget, however long and however many the statements.
 */
class SqlTextBudgetTest {

    /** A SELECT of about {@code length} characters whose text is its own from {@code n} on. */
    private static String longSelect(String table, int n, int length) {
        StringBuilder sb = new StringBuilder("select t.id, t.total from ").append(table).append(" t where t.owner_id = ?");
        for (int col = 0; sb.length() < length; col++) {
            sb.append(" and t.attribute_").append(n).append('_').append(col).append(" is not null");
        }
        return sb.toString();
    }

    @Test
    void longNormalizedSqlIsKeptAsItsStartAndEndAndStillToldApart() {
        SqlFingerprinter fingerprinter = new SqlFingerprinter(65_536, 2048);
        String a = longSelect("orders", 1, 60_000) + " and t.closed_at is null";
        String b = longSelect("orders", 2, 60_000) + " and t.closed_at is null";

        Fingerprint fa = fingerprinter.parse(a).fingerprint();
        Fingerprint fb = fingerprinter.parse(b).fingerprint();

        assertTrue(fa.normalized().length() <= 4096, fa.normalized().length() + " characters kept");
        assertTrue(fa.normalized().startsWith("select t.id, t.total from orders t where t.owner_id = ?"));
        assertTrue(fa.normalized().endsWith("and t.closed_at is null"), "the end of a statement is its filter");
        assertNotEquals(fa, fb, "statements that differ in their middle are not the same statement");
        assertNotEquals(fa.normalized(), fb.normalized());
        assertEquals(fa, fingerprinter.parse(a).fingerprint());
    }

    @Test
    void findingsHoldNoMoreThanTheirShareOfTheBudget() throws SQLException {
        QueryLens lens = QueryLens.builder().meterRegistry(new SimpleMeterRegistry()).build();
        DataSource ds = lens.wrap(new NullDatabase(), "null");
        for (int unit = 0; unit < 520; unit++) {
            try (UnitOfWork work = lens.begin("GET /report");
                 Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                // a parent query and a loop over its rows, each 30,000 characters long and seen in this unit only
                s.executeQuery(longSelect("customers_" + unit, unit, 30_000)).close();
                try (PreparedStatement ps = c.prepareStatement(longSelect("orders_" + unit, unit, 30_000))) {
                    for (int row = 0; row < 6; row++) {
                        ps.setInt(1, row);
                        ps.executeQuery().close();
                    }
                }
            }
        }
        long text = 0;
        Set<String> statements = new HashSet<>();
        for (FindingSummary f : lens.findings().findings()) {
            text += f.sql().length() + (f.parentQuery() == null ? 0 : f.parentQuery().length());
            assertTrue(f.sql().length() <= 4096);
            statements.add(f.sql());
        }
        long share = QueryLensConfig.defaults().sqlTextBudget() / 4;
        assertTrue(text <= share, text + " characters of SQL in the findings, over their share " + share);
        assertTrue(lens.findings().size() >= 100, "the budget still leaves room for many findings: "
                + lens.findings().size());
        assertEquals(lens.findings().size(), statements.size(), "long statements stay apart");
        lens.close();
    }

    @Test
    void aSmallBudgetIsReadAndHonoured() throws SQLException {
        QueryLens lens = QueryLens.builder().meterRegistry(new SimpleMeterRegistry())
                .config(Map.of("querylens.sql.text-budget", "65536")).build();
        DataSource ds = lens.wrap(new NullDatabase(), "null");
        for (int unit = 0; unit < 50; unit++) {
            try (UnitOfWork work = lens.begin("GET /report");
                 Connection c = ds.getConnection();
                 PreparedStatement ps = c.prepareStatement(longSelect("orders_" + unit, unit, 3_000))) {
                for (int row = 0; row < 6; row++) {
                    ps.setInt(1, row);
                    ps.executeQuery().close();
                }
            }
        }
        long text = 0;
        for (FindingSummary f : lens.findings().findings()) {
            text += f.sql().length();
        }
        assertTrue(text <= 65_536 / 4, text + " characters");
        assertTrue(lens.findings().size() >= 4, "the latest findings are kept: " + lens.findings().size());
        lens.close();
    }
}
