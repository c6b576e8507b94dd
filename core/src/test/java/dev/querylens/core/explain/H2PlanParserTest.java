package dev.querylens.core.explain;

import org.junit.jupiter.api.Test;

import static dev.querylens.core.explain.PlanFixtures.onlyFullScan;
import static dev.querylens.core.explain.PlanFixtures.parse;
import static dev.querylens.core.explain.PlanFixtures.scanOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** H2 2.3.232 plans captured by {@code CaptureH2.java}. */
class H2PlanParserTest {
    private static final Dialect H2 = Dialect.H2;

    @Test
    void tableScanWithWhere() throws Exception {
        ScanNode scan = onlyFullScan(parse(H2, "table_scan_filter"));
        assertEquals("PUBLIC", scan.schema());
        assertEquals("CAP_ORDERS", scan.table());
        assertEquals("\"STATUS\" = 'NEW'", scan.filter());
        assertEquals(-1, scan.estimatedRows());
        assertFalse(scan.stopsEarlyUnderLimit());
    }

    @Test
    void bindMarkers() throws Exception {
        assertEquals("(\"STATUS\" = ?1) AND (\"CREATED_AT\" > ?2)",
                onlyFullScan(parse(H2, "table_scan_binds")).filter());
    }

    @Test
    void tableScanWithoutWhere() throws Exception {
        assertNull(onlyFullScan(parse(H2, "table_scan_no_filter")).filter());
    }

    @Test
    void indexRowIdAndDirectLookupAreNotFullScans() throws Exception {
        for (String name : new String[] {"index_lookup", "primary_key", "rowid", "direct_lookup"}) {
            ExplainPlan plan = parse(H2, name);
            assertEquals(1, plan.scans().size(), name);
            assertEquals(Access.INDEX, plan.scans().get(0).access(), name);
        }
    }

    @Test
    void joinTakesThePushedWhereComment() throws Exception {
        ExplainPlan plan = parse(H2, "join_index");
        ScanNode customers = scanOf(plan, "CAP_CUSTOMERS");
        assertEquals("C", customers.alias());
        assertEquals(Access.FULL_SCAN, customers.access());
        assertEquals("C.COUNTRY = 'FR'", customers.filter());
        assertEquals(Access.INDEX, scanOf(plan, "CAP_ORDERS").access());
    }

    @Test
    void joinWithoutPushedConditionTakesTheTermsNamingOnlyThatTable() throws Exception {
        ExplainPlan plan = parse(H2, "join_two_scans");
        ScanNode orders = scanOf(plan, "CAP_ORDERS");
        assertEquals(Access.FULL_SCAN, orders.access());
        assertEquals("(\"O\".\"TOTAL\" > CAST(100 AS NUMERIC(3)))", orders.filter());
        assertEquals("C.NAME LIKE 'x%'", scanOf(plan, "CAP_CUSTOMERS").filter());
    }

    @Test
    void leftJoin() throws Exception {
        ExplainPlan plan = parse(H2, "left_join");
        assertEquals("O.STATUS = 'NEW'", scanOf(plan, "CAP_ORDERS").filter());
        assertEquals(Access.INDEX, scanOf(plan, "CAP_CUSTOMERS").access());
    }

    @Test
    void subqueryIsItsOwnBlockAndItsCopyInsideTheIndexCommentIsIgnored() throws Exception {
        ExplainPlan plan = parse(H2, "subquery");
        assertEquals(2, plan.scans().size(), plan.scans().toString());
        ScanNode customers = scanOf(plan, "CAP_CUSTOMERS");
        assertEquals(Access.FULL_SCAN, customers.access());
        assertEquals("\"COUNTRY\" = 'FR'", customers.filter());
        assertEquals(Access.INDEX, scanOf(plan, "CAP_ORDERS").access());
    }

    @Test
    void viewIsNotAFullScanAndItsNestedPlanIsNotRead() throws Exception {
        ExplainPlan plan = parse(H2, "view");
        assertEquals(1, plan.scans().size(), plan.scans().toString());
        assertEquals("CAP_NEW_ORDERS", plan.scans().get(0).table());
        assertEquals(Access.OTHER, plan.scans().get(0).access());
    }

    @Test
    void fetchFirstWithoutOrderByStopsEarly() throws Exception {
        assertTrue(onlyFullScan(parse(H2, "limit_stops_early")).stopsEarlyUnderLimit());
        assertFalse(onlyFullScan(parse(H2, "limit_after_sort")).stopsEarlyUnderLimit());
    }

    @Test
    void unreadablePlans() {
        PlanParseException noSelect = assertThrows(PlanParseException.class,
                () -> PlanParser.parse(H2, "MERGE INTO T KEY(ID) VALUES (1)", null));
        assertTrue(noSelect.getMessage().startsWith("H2 plan: no SELECT"), noSelect.getMessage());
        PlanParseException noComment = assertThrows(PlanParseException.class,
                () -> PlanParser.parse(H2, "SELECT * FROM \"PUBLIC\".\"T\" WHERE \"X\" = 1", null));
        assertTrue(noComment.getMessage().contains("access comment"), noComment.getMessage());
    }
}
