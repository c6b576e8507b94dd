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
 * {@link #minTableRows()}), read whole to apply a filter, and not a read that a {@code LIMIT} stops early. Reads
 * without a filter (reports, exports, aggregates over everything) are legitimate and never reported.
 */
public final class ScanJudge {

    /** The default smallest table worth a report. */
    public static final long DEFAULT_MIN_TABLE_ROWS = 10_000;

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
        SMALL_TABLE
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
        return rows < minTableRows ? Verdict.SMALL_TABLE : Verdict.REPORT;
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
