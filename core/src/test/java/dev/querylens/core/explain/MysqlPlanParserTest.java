package dev.querylens.core.explain;

import org.junit.jupiter.api.Test;

import static dev.querylens.core.explain.PlanFixtures.onlyFullScan;
import static dev.querylens.core.explain.PlanFixtures.parse;
import static dev.querylens.core.explain.PlanFixtures.resource;
import static dev.querylens.core.explain.PlanFixtures.scanOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MariaDB 10.11 plans captured by {@code capture-mariadb.sh}, and the hand-built MySQL JSON fixtures (formats 1
 * and 2; see {@code plans/mysql/README.md}: no MySQL server runs here).
 */
class MysqlPlanParserTest {
    private static final Dialect MARIA = Dialect.MARIADB;

    @Test
    void fullScanWithFilter() throws Exception {
        ScanNode scan = onlyFullScan(parse(MARIA, "seq_scan_filter"));
        assertEquals("cap_orders", scan.table());
        assertNull(scan.alias());
        assertEquals("cap_orders.`status` = 'NEW'", scan.filter());
        // MariaDB keeps "filtered": 100 without column statistics: it did not estimate the filter.
        assertEquals(-1, scan.estimatedRows());
    }

    @Test
    void fullScanUnderGroupByHasNoFilter() throws Exception {
        assertNull(onlyFullScan(parse(MARIA, "seq_scan_no_filter")).filter());
    }

    @Test
    void indexAccessTypes() throws Exception {
        assertEquals(Access.INDEX, parse(MARIA, "const_pk").scans().get(0).access());
        assertEquals(Access.INDEX, parse(MARIA, "ref_index").scans().get(0).access());
        assertEquals(Access.INDEX, parse(MARIA, "full_index_scan").scans().get(0).access());
    }

    @Test
    void nestedLoopNamesTablesByAliasAndTheStatementResolvesThem() throws Exception {
        ExplainPlan plan = parse(MARIA, "nested_loop");
        ScanNode customers = scanOf(plan, "cap_customers");
        ScanNode orders = scanOf(plan, "cap_orders");
        assertEquals("c", customers.alias());
        assertEquals(Access.FULL_SCAN, customers.access());
        assertEquals("c.country = 'FR'", customers.filter());
        assertEquals("o", orders.alias());
        assertEquals(Access.INDEX, orders.access());
    }

    @Test
    void withoutTheStatementAliasesStayAsPrinted() throws Exception {
        ExplainPlan plan = PlanParser.parse(MARIA, resource("mariadb/nested_loop.json"), null);
        assertEquals("c", plan.scans().get(0).table());
    }

    @Test
    void blockNestedLoopJoinKeepsTheTableConditionNotTheJoinCondition() throws Exception {
        ExplainPlan plan = parse(MARIA, "block_nl_join");
        ScanNode orders = scanOf(plan, "cap_orders");
        assertEquals(Access.FULL_SCAN, orders.access());
        assertEquals("o.total > 100", orders.filter());
        assertNull(scanOf(plan, "cap_customers").filter());
    }

    @Test
    void semijoinAndDerivedTables() throws Exception {
        ExplainPlan semi = parse(MARIA, "semijoin");
        assertEquals("cap_customers.country = 'FR'", scanOf(semi, "cap_customers").filter());
        ExplainPlan derived = parse(MARIA, "derived_table");
        assertEquals(Access.OTHER, scanOf(derived, "<derived2>").access());
        ScanNode inner = scanOf(derived, "cap_orders");
        assertEquals(Access.FULL_SCAN, inner.access());
        assertEquals("cap_orders.total > 10", inner.filter());
        assertFalse(inner.stopsEarlyUnderLimit());
    }

    @Test
    void limitIsReadFromTheStatementBecauseThePlanOmitsIt() throws Exception {
        assertTrue(onlyFullScan(parse(MARIA, "limit_stops_early")).stopsEarlyUnderLimit());
        assertFalse(onlyFullScan(parse(MARIA, "limit_after_sort")).stopsEarlyUnderLimit());
    }

    @Test
    void mysqlFormat1() throws Exception {
        ExplainPlan plan = parse(Dialect.MYSQL, "v1_join");
        ScanNode orders = scanOf(plan, "cap_orders");
        assertEquals("o", orders.alias());
        assertEquals(Access.FULL_SCAN, orders.access());
        assertEquals("(`test`.`o`.`status` = 'NEW')", orders.filter());
        // rows_examined_per_scan 59826 times "filtered": "10.00"
        assertEquals(5983, orders.estimatedRows());
        assertEquals(Access.INDEX, scanOf(plan, "cap_customers").access());
    }

    @Test
    void mysqlFormat2TakesTheFilterFromTheParentFilterNode() throws Exception {
        ExplainPlan plan = parse(Dialect.MYSQL, "v2_join");
        ScanNode orders = scanOf(plan, "cap_orders");
        assertEquals(Access.FULL_SCAN, orders.access());
        assertEquals("o", orders.alias());
        assertEquals("test", orders.schema());
        assertEquals("(o.`status` = 'NEW')", orders.filter());
        assertEquals(5983, orders.estimatedRows());
        ScanNode customers = scanOf(plan, "cap_customers");
        assertEquals(Access.INDEX, customers.access());
        assertEquals("(c.country = 'FR')", customers.filter());
    }

    @Test
    void mysqlFormat2LimitNodes() throws Exception {
        assertTrue(onlyFullScan(parse(Dialect.MYSQL, "v2_limit")).stopsEarlyUnderLimit());
        assertFalse(onlyFullScan(parse(Dialect.MYSQL, "v2_sort_limit")).stopsEarlyUnderLimit());
    }

    @Test
    void unreadablePlansGiveAnErrorNamingTheDialect() {
        PlanParseException e = assertThrows(PlanParseException.class,
                () -> PlanParser.parse(MARIA, "{\"steps\": []}", "SELECT 1"));
        assertTrue(e.getMessage().startsWith("MARIADB plan: neither \"query_block\""), e.getMessage());
        PlanParseException array = assertThrows(PlanParseException.class,
                () -> PlanParser.parse(Dialect.MYSQL, "[1, 2]", "SELECT 1"));
        assertTrue(array.getMessage().contains("not an object"), array.getMessage());
        assertThrows(PlanParseException.class, () -> PlanParser.parse(MARIA, "{\"query_block\": ", "SELECT 1"));
    }
}
