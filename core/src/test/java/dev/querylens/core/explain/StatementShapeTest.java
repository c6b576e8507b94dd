package dev.querylens.core.explain;

import dev.querylens.core.sql.SqlSyntax;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatementShapeTest {

    private static boolean early(String sql) {
        return StatementShape.of(sql, SqlSyntax.MYSQL).limitStopsEarly();
    }

    @Test
    void aPlainLimitStopsEarly() {
        assertTrue(early("SELECT * FROM t WHERE a = 1 LIMIT 10"));
        assertTrue(early("SELECT * FROM t WHERE a = 1 FETCH FIRST 10 ROWS ONLY"));
        assertTrue(early("SELECT * FROM (SELECT * FROM t ORDER BY b) x LIMIT 3")); // inner ORDER BY is not outer
    }

    @Test
    void anythingNeedingTheWholeInputDoesNot() {
        assertFalse(early("SELECT * FROM t WHERE a = 1"));
        assertFalse(early("SELECT * FROM t WHERE a = 1 ORDER BY b LIMIT 10"));
        assertFalse(early("SELECT a, count(*) FROM t GROUP BY a LIMIT 10"));
        assertFalse(early("SELECT count(*) FROM t WHERE a = 1 LIMIT 1"));
        assertFalse(early("SELECT DISTINCT a FROM t LIMIT 10"));
        assertFalse(early("SELECT a FROM t UNION SELECT a FROM u LIMIT 10"));
        assertFalse(early("SELECT * FROM t LIMIT ALL"));
        assertFalse(early("SELECT 'LIMIT 1' FROM t"));
    }

    @Test
    void aliasesResolveToTheirTables() {
        StatementShape s = StatementShape.of("SELECT o.id FROM shop.orders AS o JOIN customers c ON c.id = o.cid,"
                + " items WHERE o.x IN (SELECT y FROM lines l)", SqlSyntax.MYSQL);
        assertEquals(new StatementShape.TableRef("shop", "orders"), s.table("o"));
        assertEquals(new StatementShape.TableRef(null, "customers"), s.table("C"));
        assertEquals(new StatementShape.TableRef(null, "items"), s.table("items"));
        assertEquals(new StatementShape.TableRef(null, "lines"), s.table("l"));
        assertNull(s.table("nothing"));
    }

    @Test
    void anAliasUsedForTwoTablesIsNotResolved() {
        StatementShape s = StatementShape.of("SELECT * FROM a x WHERE EXISTS (SELECT 1 FROM b x)", SqlSyntax.MYSQL);
        assertNull(s.table("x"));
        assertEquals(new StatementShape.TableRef(null, "a"), s.table("a"));
    }

    /** The lexer's guard alone, without the one on any {@code ;}: each text hides a second statement from a wrong reading. */
    @Test
    void theDialectsReadingFindsWhatAWrongReadingHides() {
        assertEquals("more than one statement",
                StatementShape.of("SELECT 1 --1; INSERT INTO t VALUES (1)", SqlSyntax.MYSQL).notExplainable());
        assertEquals("more than one statement", StatementShape.of(
                "SELECT \"\\\"\" ; INSERT INTO t VALUES (3) ; SELECT 1 -- \"", SqlSyntax.MYSQL).notExplainable());
        assertEquals("more than one statement", StatementShape.of(
                "SELECT $ä$ -- $ä$; COMMIT; INSERT INTO t VALUES (1); COMMIT", SqlSyntax.POSTGRESQL).notExplainable());
        assertEquals("more than one statement",
                StatementShape.of("SELECT 1 // ; \n; DELETE FROM t", SqlSyntax.H2).notExplainable());
    }

    @Test
    void whereTheReadingIsInDoubtNothingIsExplained() {
        assertTrue(StatementShape.of("SELECT 1 /*! , f() */", SqlSyntax.MYSQL).notExplainable().contains("executable"));
        assertTrue(StatementShape.of("SELECT 1 /*M!100100 , f() */", SqlSyntax.MYSQL).notExplainable().contains("executable"));
        assertTrue(StatementShape.of("SELECT 1 # x\r, f()", SqlSyntax.MYSQL).notExplainable().contains("carriage return"));
        assertTrue(StatementShape.of("SELECT 1 /* a /* b */, f() */", SqlSyntax.MYSQL).notExplainable().contains("inside a comment"));
        assertTrue(StatementShape.of("SELECT 1\u0000, f()", SqlSyntax.POSTGRESQL).notExplainable().contains("U+0000"));
        assertTrue(StatementShape.of("SELECT (1", SqlSyntax.POSTGRESQL).notExplainable().contains("unbalanced"));
        assertTrue(StatementShape.of("SELECT 1)", SqlSyntax.POSTGRESQL).notExplainable().contains("unbalanced"));
        assertTrue(StatementShape.of("SELECT $a$x$a$", SqlSyntax.H2).notExplainable().contains("U+0024"));
        assertNull(StatementShape.of("SELECT /*+ NO_INDEX(t) */ a FROM t -- done", SqlSyntax.MYSQL).notExplainable());
    }

    /** What each dialect's reading says a statement calls: what a wrong reading would hide is there. */
    @Test
    void functionsAreThoseTheDatabaseCalls() {
        assertEquals(java.util.List.of("f_side"), StatementShape.of("SELECT 1 --1, f_side()", SqlSyntax.MYSQL).functions());
        assertEquals(java.util.List.of(), StatementShape.of("SELECT 1 --1, f_side()", SqlSyntax.POSTGRESQL).functions());
        assertEquals(java.util.List.of("f_side"),
                StatementShape.of("SELECT $ä$ -- $ä$, f_side()", SqlSyntax.POSTGRESQL).functions());
        assertEquals(java.util.List.of("f_side"),
                StatementShape.of("SELECT * FROM (SELECT f_side() AS x) d", SqlSyntax.MYSQL).functions());
        assertEquals(java.util.List.of("count", "app.f_det", "Quoted"), StatementShape.of(
                "SELECT count(*) FROM t WHERE id IN (1, 2) AND a = app.f_det(1) AND EXISTS (SELECT \"Quoted\"(a))",
                SqlSyntax.POSTGRESQL).functions());
        StatementShape sequence = StatementShape.of("SELECT * FROM t WHERE id = NEXTVAL(sq)", SqlSyntax.MYSQL);
        assertTrue(sequence.sequenceCall());
        assertEquals(java.util.List.of("nextval"), sequence.functions());
        assertTrue(StatementShape.of("SELECT NEXT VALUE FOR s", SqlSyntax.H2).sequenceCall());
        assertFalse(StatementShape.of("SELECT next_value FROM s", SqlSyntax.H2).sequenceCall());
    }
}
