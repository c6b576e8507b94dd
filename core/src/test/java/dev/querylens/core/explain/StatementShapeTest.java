package dev.querylens.core.explain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatementShapeTest {

    private static boolean early(String sql) {
        return StatementShape.of(sql, true).limitStopsEarly();
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
                + " items WHERE o.x IN (SELECT y FROM lines l)", true);
        assertEquals(new StatementShape.TableRef("shop", "orders"), s.table("o"));
        assertEquals(new StatementShape.TableRef(null, "customers"), s.table("C"));
        assertEquals(new StatementShape.TableRef(null, "items"), s.table("items"));
        assertEquals(new StatementShape.TableRef(null, "lines"), s.table("l"));
        assertNull(s.table("nothing"));
    }

    @Test
    void anAliasUsedForTwoTablesIsNotResolved() {
        StatementShape s = StatementShape.of("SELECT * FROM a x WHERE EXISTS (SELECT 1 FROM b x)", true);
        assertNull(s.table("x"));
        assertEquals(new StatementShape.TableRef(null, "a"), s.table("a"));
    }
}
