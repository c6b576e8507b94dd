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

/** PostgreSQL 15 plans captured by {@code capture-postgresql.sh}. */
class PostgresPlanParserTest {
    private static final Dialect PG = Dialect.POSTGRESQL;

    @Test
    void seqScanWithFilter() throws Exception {
        ScanNode scan = onlyFullScan(parse(PG, "seq_scan_filter"));
        assertEquals("cap_orders", scan.table());
        assertEquals("((status)::text = 'NEW'::text)", scan.filter());
        assertEquals(Access.FULL_SCAN, scan.access());
        assertTrue(scan.estimatedRows() > 0 && scan.estimatedRows() < 5_000, "rows " + scan.estimatedRows());
        assertFalse(scan.stopsEarlyUnderLimit());
    }

    @Test
    void seqScanUnderAggregateHasNoFilter() throws Exception {
        ScanNode scan = onlyFullScan(parse(PG, "seq_scan_no_filter"));
        assertNull(scan.filter());
        assertEquals(60_000, scan.estimatedRows());
    }

    @Test
    void indexScans() throws Exception {
        ExplainPlan pk = parse(PG, "index_scan_pk");
        assertEquals(1, pk.scans().size());
        assertEquals(Access.INDEX, pk.scans().get(0).access());
        // A bitmap scan is two nodes; only the heap scan names the table.
        ExplainPlan bitmap = parse(PG, "bitmap_index_scan");
        assertEquals(1, bitmap.scans().size());
        assertEquals(Access.INDEX, bitmap.scans().get(0).access());
        assertEquals("cap_orders", bitmap.scans().get(0).table());
    }

    @Test
    void hashJoinReadsBothTablesWithTheirAliases() throws Exception {
        ExplainPlan plan = parse(PG, "hash_join");
        assertEquals(2, plan.scans().size());
        ScanNode orders = scanOf(plan, "cap_orders");
        ScanNode customers = scanOf(plan, "cap_customers");
        assertEquals("o", orders.alias());
        assertEquals("c", customers.alias());
        assertEquals(Access.FULL_SCAN, orders.access());
        assertEquals("((country)::text = 'FR'::text)", customers.filter());
    }

    @Test
    void nestedLoopOfIndexReads() throws Exception {
        ExplainPlan plan = parse(PG, "nested_loop");
        assertEquals(2, plan.scans().size());
        assertTrue(plan.scans().stream().allMatch(s -> s.access() == Access.INDEX), plan.scans().toString());
    }

    @Test
    void parallelSeqScanIsScaledBackToTheWholeEstimate() throws Exception {
        ScanNode scan = onlyFullScan(parse(PG, "parallel_seq_scan"));
        // Plan Rows 261 per process, times 2 workers plus 0.4 for the leader: 626, the Gather's own figure.
        assertEquals(626, scan.estimatedRows());
        assertEquals("((status)::text = 'NEW'::text)", scan.filter());
    }

    @Test
    void limitDirectlyOverTheScanStopsEarly() throws Exception {
        assertTrue(onlyFullScan(parse(PG, "limit_stops_early")).stopsEarlyUnderLimit());
    }

    @Test
    void limitAboveASortDoesNotStopTheScan() throws Exception {
        assertFalse(onlyFullScan(parse(PG, "limit_after_sort")).stopsEarlyUnderLimit());
    }

    @Test
    void unreadablePlansGiveAnErrorNamingTheDialect() {
        PlanParseException notJson = assertThrows(PlanParseException.class,
                () -> PlanParser.parse(PG, "Seq Scan on orders", null));
        assertTrue(notJson.getMessage().startsWith("POSTGRESQL plan: not JSON"), notJson.getMessage());
        PlanParseException noPlan = assertThrows(PlanParseException.class,
                () -> PlanParser.parse(PG, "[{\"Query\": {}}]", null));
        assertTrue(noPlan.getMessage().contains("no \"Plan\""), noPlan.getMessage());
        PlanParseException noType = assertThrows(PlanParseException.class,
                () -> PlanParser.parse(PG, "[{\"Plan\": {\"Relation Name\": \"t\"}}]", null));
        assertTrue(noType.getMessage().contains("Node Type"), noType.getMessage());
        assertEquals(PG, noType.dialect());
        assertThrows(PlanParseException.class, () -> PlanParser.parse(PG, "", null));
    }
}
