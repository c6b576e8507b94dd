package dev.querylens.core.explain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides which full scans of a plan are worth reporting: a big table (planner's estimate at least
 * {@link #minTableRows()}), read whole to apply a filter that keeps at most {@link #MAX_KEPT_FRACTION} of its rows,
 * and not a read that a {@code LIMIT} stops early. Reads without a filter (reports, exports, aggregates over
 * everything) are legitimate and never reported, nor are filters that keep most of the table.
 */
public final class ScanJudge {

    /** The default smallest table worth a report. */
    public static final long DEFAULT_MIN_TABLE_ROWS = 10_000;

    /**
     * The largest share of the table's estimated rows that the planner may expect a filter to keep for the scan to
     * be reported: 10%. An index pays for itself only when it skips most of the table; past roughly this share the
     * planners themselves prefer the full read (a row fetched through an index costs several sequential reads),
     * so the suggested index would go unused. A scan whose filter keeps almost everything ({@code LIKE '%'}) is
     * not a missing index. Applied only when the plan gives a row estimate (not H2) and the table's estimate is
     * above 0; a planner without statistics on the column guesses (MySQL: 10% for an equality, MariaDB without
     * engine-independent statistics: 100%), so such a filter can fall either side.
     */
    public static final double MAX_KEPT_FRACTION = 0.10;

    /** The planner's row estimate for a table, or {@code -1} when unknown. Expected to be cached by the caller. */
    @FunctionalInterface
    public interface TableRows {
        long estimate(String schema, String table);
    }

    /** Why a scan is, or is not, reported. */
    public enum Verdict {
        REPORT,
        /** The table is read through an index or another access method. */
        NOT_A_FULL_SCAN,
        /** The whole table is wanted: nothing to index. */
        NO_FILTER,
        /** A {@code LIMIT} without ordering stops the read after the first matching rows. */
        STOPS_EARLY_UNDER_LIMIT,
        /** The database has no row estimate for the table (PostgreSQL: never analysed). */
        SIZE_UNKNOWN,
        /** Fewer rows than the threshold: a full read is as cheap as an index. */
        SMALL_TABLE,
        /** The planner expects the filter to keep more than {@link #MAX_KEPT_FRACTION} of the table's rows. */
        NOT_SELECTIVE
    }

    private final long minTableRows;

    /** A judge with {@link #DEFAULT_MIN_TABLE_ROWS}. */
    public ScanJudge() {
        this(DEFAULT_MIN_TABLE_ROWS);
    }

    /** A judge that reports tables of at least {@code minTableRows} rows; 0 reports every table with an estimate. */
    public ScanJudge(long minTableRows) {
        if (minTableRows < 0) {
            throw new IllegalArgumentException("minTableRows must be 0 or more: " + minTableRows);
        }
        this.minTableRows = minTableRows;
    }

    public long minTableRows() {
        return minTableRows;
    }

    /**
     * The verdict on one scan. {@code sizes} is asked only for filtered full scans that do not stop early, so
     * most plans cost no size look-up.
     */
    public Verdict verdict(ScanNode scan, TableRows sizes) {
        if (!scan.fullScan()) {
            return Verdict.NOT_A_FULL_SCAN;
        }
        if (scan.filter() == null || scan.filter().isBlank()) {
            return Verdict.NO_FILTER;
        }
        if (scan.stopsEarlyUnderLimit()) {
            return Verdict.STOPS_EARLY_UNDER_LIMIT;
        }
        long rows = sizes.estimate(scan.schema(), scan.table());
        if (rows < 0) {
            return Verdict.SIZE_UNKNOWN;
        }
        if (rows < minTableRows) {
            return Verdict.SMALL_TABLE;
        }
        long kept = scan.estimatedRows();
        if (kept >= 0 && rows > 0 && kept > rows * MAX_KEPT_FRACTION) {
            return Verdict.NOT_SELECTIVE;
        }
        return Verdict.REPORT;
    }

    /**
     * The findings of one plan, one per table and filter, each with its index suggestion.
     */
    public List<SeqScanFinding> judge(ExplainPlan plan, TableRows sizes) {
        Map<List<String>, Long> asked = new HashMap<>();
        TableRows once = (schema, table) -> asked.computeIfAbsent(
                Arrays.asList(schema, table), k -> sizes.estimate(schema, table));
        List<SeqScanFinding> findings = new ArrayList<>();
        Set<List<String>> seen = new HashSet<>();
        for (ScanNode scan : plan.scans()) {
            if (verdict(scan, once) != Verdict.REPORT
                    || !seen.add(List.of(Objects.toString(scan.schema()), scan.table(), scan.filter()))) {
                continue;
            }
            findings.add(new SeqScanFinding(plan.dialect(), scan.schema(), scan.table(), scan.alias(),
                    once.estimate(scan.schema(), scan.table()), scan.estimatedRows(), scan.filter(),
                    IndexAdvisor.suggest(plan.dialect(), scan)));
        }
        return findings;
    }
}
