package dev.querylens.core.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of {@link SqlFingerprinter} that a single statement and its expected text cannot show. */
class SqlFingerprinterTest {

    private final SqlFingerprinter fingerprinter = new SqlFingerprinter(65536, 2048);

    @Test
    void statementsDifferingOnlyInLiteralsShareOneFingerprintInstance() {
        ParsedSql a = fingerprinter.parse("select * from t where a = 1 and b = 'x' and c in (1, 2, 3)");
        ParsedSql b = fingerprinter.parse("SELECT * FROM t WHERE a = 2 AND b = 'it''s' AND c IN (7, 8)");

        assertSame(a.fingerprint(), b.fingerprint());
        assertNotEquals(a.literalKey(), b.literalKey());
        assertNotEquals(a.literalAll(), b.literalAll());
    }

    @Test
    void sameLiteralsGiveSameKeys() {
        ParsedSql a = fingerprinter.parse("select * from t where a = 1 and b = 'x'");
        ParsedSql b = fingerprinter.parse("select *   from t  where a = 1 and b = 'x' -- again");

        assertNotSame(a, b);
        assertEquals(a.literalKey(), b.literalKey());
        assertEquals(a.literalAll(), b.literalAll());
    }

    @Test
    void literalBoundariesCount() {
        ParsedSql a = fingerprinter.parse("select 'ab', 'c'");
        ParsedSql b = fingerprinter.parse("select 'a', 'bc'");

        assertSame(a.fingerprint(), b.fingerprint());
        assertNotEquals(a.literalKey(), b.literalKey());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "select * from t where a = 1 limit 10 offset %d",
        "select * from t where a = 1 limit %d, 10",
        "select * from t where a = 1 order by id offset %d rows fetch next 10 rows only",
        "select top %d * from t where a = 1",
    })
    void pagingLiteralsChangeOnlyLiteralAll(String template) {
        ParsedSql page2 = fingerprinter.parse(String.format(template, 20));
        ParsedSql page3 = fingerprinter.parse(String.format(template, 30));

        assertSame(page2.fingerprint(), page3.fingerprint());
        assertTrue(page2.fingerprint().paged());
        assertEquals(page2.literalKey(), page3.literalKey());
        assertNotEquals(page2.literalAll(), page3.literalAll());
    }

    @Test
    void noLiteralsGiveZeroKeys() {
        ParsedSql bound = fingerprinter.parse("select * from t where a = ? limit ?");
        ParsedSql pagedOnly = fingerprinter.parse("select * from t where a = ? limit 10");

        assertEquals(0, bound.literalKey());
        assertEquals(0, bound.literalAll());
        assertEquals(0, pagedOnly.literalKey());
        assertNotEquals(0, pagedOnly.literalAll());
    }

    @Test
    void pagingBindMaskForLimitOffset() {
        assertEquals(0b110, fingerprinter.parse("select * from t where a = ? limit ? offset ?").pagingBindMask());
        assertEquals(0b110, fingerprinter.parse("select * from t where a = ? limit ?, ?").pagingBindMask());
    }

    @Test
    void pagingBindMaskForHibernateOffsetFetch() {
        ParsedSql parsed = fingerprinter.parse(
                "select o1_0.id from orders o1_0 where o1_0.status=? order by o1_0.id offset ? rows fetch first ? rows only");

        assertEquals(0b110, parsed.pagingBindMask());
    }

    @Test
    void pagingBindMaskForNumberedMarkersUsesTheirNumbers() {
        assertEquals(0b101, fingerprinter.parse("select * from t where a = $2 limit $1 offset $3").pagingBindMask());
    }

    @Test
    void pagingBindMaskCountsOnlyRealMarkers() {
        ParsedSql parsed = fingerprinter.parse(
                "select '?', \"?\" /* ? */ from t -- ?\n where data ?| array[?] and meta ?? 'k' and a = ? limit ?");

        assertEquals(0b100, parsed.pagingBindMask());
    }

    @Test
    void pagingBindMaskForTop() {
        assertEquals(0b1, fingerprinter.parse("select top (?) id from t where a = ?").pagingBindMask());
    }

    @Test
    void noPagingNoMask() {
        ParsedSql parsed = fingerprinter.parse("select offset, \"limit\" from tz where offset = ?");

        assertFalse(parsed.fingerprint().paged());
        assertEquals(0, parsed.pagingBindMask());
    }

    @Test
    void batchFetchTellsFingerprintsWithTheSameTextApart() {
        Fingerprint one = fingerprinter.parse("select * from t where id in (?)").fingerprint();
        Fingerprint many = fingerprinter.parse("select * from t where id in (?, ?, ?)").fingerprint();

        assertEquals(one, many);
        assertNotSame(one, many);
        assertFalse(one.batchFetch());
        assertTrue(many.batchFetch());
    }

    @Test
    void longStatementIsReadOnItsPrefix() {
        StringBuilder sql = new StringBuilder("select * from big_table where id in (");
        while (sql.length() < 100_000) {
            sql.append("12345, ");
        }
        sql.append("0)");
        SqlFingerprinter small = new SqlFingerprinter(65536, 2048);

        Fingerprint fp = small.parse(sql.toString()).fingerprint();

        assertTrue(fp.truncated());
        assertEquals(Operation.SELECT, fp.operation());
        assertEquals("big_table", fp.table());
        assertNull(fp.problem());
        assertTrue(fp.normalized().length() < 65536);
        assertEquals(0, small.cachedStatements());
    }

    @Test
    void cutInsideStringLiteralIsNoProblem() {
        String sql = "insert into notes (body) values ('" + "x".repeat(70_000) + "')";

        Fingerprint fp = fingerprinter.parse(sql).fingerprint();

        assertTrue(fp.truncated());
        assertEquals("insert into notes (body) values (?", fp.normalized());
        assertEquals(Operation.INSERT, fp.operation());
        assertEquals("notes", fp.table());
    }

    @Test
    void nullAndBlankAreOtherWithProblem() {
        for (String sql : new String[] {null, "", "   \n\t", "/* only a comment */", "-- nothing"}) {
            Fingerprint fp = fingerprinter.parse(sql).fingerprint();
            assertEquals(Operation.OTHER, fp.operation(), String.valueOf(sql));
            assertNotNull(fp.problem(), String.valueOf(sql));
        }
    }

    @Test
    void unterminatedStringIsBestEffortWithProblem() {
        Fingerprint fp = fingerprinter.parse("select * from t where a = 'abc").fingerprint();

        assertEquals("select * from t where a = ?", fp.normalized());
        assertEquals(Operation.SELECT, fp.operation());
        assertEquals("unterminated string literal at offset 26", fp.problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "select * from t where (a = 1",
        "select * from t where a = 1)",
        "select * from t where a in (1, 2]",
        "select \"unclosed from t",
        "select /* never closed",
        "select $$ never closed",
        "select * from t where a = \u0001",
        "update t set a = 'x''",
    })
    void malformedSqlHasProblem(String sql) {
        ParsedSql parsed = fingerprinter.parse(sql);

        assertNotNull(parsed.fingerprint().problem(), sql);
        assertNotNull(parsed.fingerprint().normalized(), sql);
    }

    @Test
    void randomInputNeverThrows() {
        Random random = new Random(42);
        String alphabet = "selct frmwhin()[]{},.;'\"`$?:-/*#@\\0123456789 \n\tEXNB_&|<>=!~ü\u0000\uD800";
        for (int k = 0; k < 5000; k++) {
            char[] chars = new char[random.nextInt(200)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            assertGarbageHandled(new String(chars));
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            assertGarbageHandled(new String(bytes, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void deepNestingNeverThrows() {
        assertGarbageHandled("(".repeat(50_000));
        assertReadable("select * from " + "(select * from ".repeat(5_000) + "t");
        assertGarbageHandled("with a as (".repeat(5_000) + "delete from t");
        assertReadable("select * from t where a in (" + "(".repeat(10_000) + "1, 1" + ")".repeat(10_000) + ")");
    }

    /** Garbage reads as OTHER, or as a best effort that names its problem. */
    private void assertGarbageHandled(String sql) {
        Fingerprint fp = assertReadable(sql).fingerprint();
        assertTrue(fp.operation() == Operation.OTHER || fp.problem() != null, () -> "read cleanly: " + sql);
    }

    private ParsedSql assertReadable(String sql) {
        ParsedSql parsed = fingerprinter.parse(sql);
        assertNotNull(parsed);
        assertNotNull(parsed.fingerprint().normalized());
        assertNotNull(parsed.fingerprint().operation());
        return parsed;
    }

    @Test
    void secondCallReturnsTheCachedObject() {
        String sql = "select * from t where a = 1";

        ParsedSql first = fingerprinter.parse(sql);

        assertSame(first, fingerprinter.parse(sql));
        assertSame(first, fingerprinter.parse(new String(sql.toCharArray())));
    }

    @Test
    void concurrentReadersGetTheSameObjects() throws Exception {
        int statements = 500;
        ParsedSql[][] seen = new ParsedSql[4][statements];
        Thread[] threads = new Thread[seen.length];
        for (int t = 0; t < threads.length; t++) {
            ParsedSql[] mine = seen[t];
            threads[t] = new Thread(() -> {
                for (int k = 0; k < statements; k++) {
                    mine[k] = fingerprinter.parse("select * from t where a = " + k);
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (int k = 0; k < statements; k++) {
            for (ParsedSql[] other : seen) {
                assertSame(seen[0][k], other[k]);
                assertSame(seen[0][0].fingerprint(), other[k].fingerprint());
            }
        }
    }

    @Test
    void cacheStaysBounded() {
        SqlFingerprinter bounded = new SqlFingerprinter(65536, 100);
        for (int k = 0; k < 10_000; k++) {
            bounded.parse("select * from t" + (k % 500) + " where a = " + k);
            assertTrue(bounded.cachedStatements() <= 100);
            assertTrue(bounded.canonicalFingerprints() <= 100);
        }
        assertTrue(bounded.cachedStatements() > 0);
    }

    @Test
    void cacheStillHitsAfterItWasCleared() {
        SqlFingerprinter bounded = new SqlFingerprinter(65536, 10);
        for (int k = 0; k < 25; k++) {
            bounded.parse("select " + k);
        }
        ParsedSql parsed = bounded.parse("select * from t");

        assertSame(parsed, bounded.parse("select * from t"));
    }

    @Test
    void zeroCacheSizeDisablesCaching() {
        SqlFingerprinter uncached = new SqlFingerprinter(65536, 0);
        String sql = "select * from t where a = 1";

        ParsedSql parsed = uncached.parse(sql);

        assertEquals(parsed, uncached.parse(sql));
        assertEquals(0, uncached.cachedStatements());
        assertEquals(0, uncached.canonicalFingerprints());
    }

    @Test
    void hugeStatementsAreNotCached() {
        SqlFingerprinter cached = new SqlFingerprinter(65536, 2048);
        String sql = "select * from t where a in (" + "1, ".repeat(5_000) + "2)";

        Fingerprint fp = cached.parse(sql).fingerprint();

        assertEquals("select * from t where a in (?)", fp.normalized());
        assertFalse(fp.truncated());
        assertEquals(0, cached.cachedStatements());
    }
}
