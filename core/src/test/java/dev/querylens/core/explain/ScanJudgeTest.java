package dev.querylens.core.explain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.querylens.core.explain.PlanFixtures.onlyFullScan;
import static dev.querylens.core.explain.PlanFixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Judgement on the captured plans, with table sizes given by the test. */
class ScanJudgeTest {
    private static final ScanJudge.TableRows BIG = (schema, table) -> 60_000;
    private final ScanJudge judge = new ScanJudge();

    @Test
    void aFilteredFullScanOfABigTableIsReported() throws Exception {
        List<SeqScanFinding> found = judge.judge(parse(Dialect.POSTGRESQL, "parallel_seq_scan"), BIG);
        assertEquals(1, found.size());
        SeqScanFinding f = found.get(0);
        assertEquals("cap_orders", f.table());
        assertEquals(60_000, f.tableRows());
        assertEquals(626, f.estimatedRows());
        assertEquals("CREATE INDEX ON cap_orders (status)", f.suggestion().sql());
    }

    @Test
    void eachDialectNamesTheTableAndTheColumn() throws Exception {
        assertEquals("CREATE INDEX idx_cap_orders_status ON cap_orders (status)",
                judge.judge(parse(Dialect.MARIADB, "seq_scan_filter"), BIG).get(0).suggestion().sql());
        assertEquals("CREATE INDEX idx_cap_orders_status ON test.cap_orders (status)",
                judge.judge(parse(Dialect.MYSQL, "v2_join"), BIG).get(0).suggestion().sql());
        assertEquals("CREATE INDEX idx_cap_orders_status ON cap_orders (status)",
                judge.judge(parse(Dialect.H2, "table_scan_filter"), BIG).get(0).suggestion().sql());
    }

    @Test
    void verdicts() throws Exception {
        assertEquals(ScanJudge.Verdict.NO_FILTER,
                judge.verdict(onlyFullScan(parse(Dialect.POSTGRESQL, "seq_scan_no_filter")), BIG));
        assertEquals(ScanJudge.Verdict.STOPS_EARLY_UNDER_LIMIT,
                judge.verdict(onlyFullScan(parse(Dialect.POSTGRESQL, "limit_stops_early")), BIG));
        assertEquals(ScanJudge.Verdict.REPORT,
                judge.verdict(onlyFullScan(parse(Dialect.POSTGRESQL, "limit_after_sort")), BIG));
        ScanNode scan = onlyFullScan(parse(Dialect.POSTGRESQL, "seq_scan_filter"));
        assertEquals(ScanJudge.Verdict.SMALL_TABLE, judge.verdict(scan, (s, t) -> 9_999));
        assertEquals(ScanJudge.Verdict.REPORT, judge.verdict(scan, (s, t) -> 10_000));
        assertEquals(ScanJudge.Verdict.SIZE_UNKNOWN, judge.verdict(scan, (s, t) -> -1));
        assertEquals(ScanJudge.Verdict.SMALL_TABLE, new ScanJudge(100_000).verdict(scan, BIG));
        assertEquals(ScanJudge.Verdict.NOT_A_FULL_SCAN,
                judge.verdict(parse(Dialect.POSTGRESQL, "index_scan_pk").scans().get(0), BIG));
        assertEquals(ScanJudge.Verdict.REPORT, new ScanJudge(0).verdict(scan, (s, t) -> 0),
                "min-rows 0 (a documented value) reports every table with an estimate");
        assertEquals(ScanJudge.Verdict.SIZE_UNKNOWN, new ScanJudge(0).verdict(scan, (s, t) -> -1));
        assertThrows(IllegalArgumentException.class, () -> new ScanJudge(-1));
    }

    @Test
    void aFilterThatKeepsMostOfTheTableIsNotReported() {
        // PetClinic: owners where last_name like '%' on PostgreSQL, 50,006 of 50,011 rows kept
        ScanNode likeAll = new ScanNode(null, "owners", null, Access.FULL_SCAN, 50_006,
                "((last_name)::text ~~ '%'::text)", false);
        assertEquals(ScanJudge.Verdict.NOT_SELECTIVE, judge.verdict(likeAll, (s, t) -> 50_011));
        assertEquals(List.of(), judge.judge(new ExplainPlan(Dialect.POSTGRESQL, List.of(likeAll)), (s, t) -> 50_011));
        // the bound: at most 10% of the table's rows kept is reported, one row more is not
        assertEquals(ScanJudge.Verdict.REPORT, judge.verdict(kept(5_001), (s, t) -> 50_011));
        assertEquals(ScanJudge.Verdict.NOT_SELECTIVE, judge.verdict(kept(5_002), (s, t) -> 50_011));
        assertEquals(ScanJudge.Verdict.REPORT, judge.verdict(kept(1), (s, t) -> 50_011));
        // no estimate of the rows kept (H2): judged on the table's size alone
        assertEquals(ScanJudge.Verdict.REPORT, judge.verdict(kept(-1), (s, t) -> 50_011));
    }

    private static ScanNode kept(long rows) {
        return new ScanNode(null, "owners", null, Access.FULL_SCAN, rows, "(last_name = 'Davis')", false);
    }

    @Test
    void sizesAreAskedOnlyForCandidates() throws Exception {
        int[] asked = {0};
        judge.judge(parse(Dialect.POSTGRESQL, "nested_loop"), (s, t) -> ++asked[0]);
        judge.judge(parse(Dialect.POSTGRESQL, "seq_scan_no_filter"), (s, t) -> ++asked[0]);
        assertEquals(0, asked[0]);
        judge.judge(parse(Dialect.POSTGRESQL, "seq_scan_filter"), (s, t) -> ++asked[0] * 60_000L);
        assertEquals(1, asked[0]);
    }

    @Test
    void aReportWithoutAUsableColumnSaysWhy() throws Exception {
        SeqScanFinding f = judge.judge(parse(Dialect.POSTGRESQL, "seq_scan_complex_filter"), BIG).get(0);
        assertEquals(null, f.suggestion().sql());
        assertEquals("OR across different columns or terms: one index cannot serve it", f.suggestion().problem());
    }
}
