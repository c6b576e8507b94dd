package dev.querylens.core.explain;

import java.util.List;

/**
 * What the scan rules need from one {@code EXPLAIN}: every table read of the statement, subqueries included, in
 * plan order.
 *
 * @param dialect the database that produced the plan
 * @param scans   the table reads; empty for a plan that reads no table
 */
public record ExplainPlan(Dialect dialect, List<ScanNode> scans) {
    public ExplainPlan {
        scans = List.copyOf(scans);
    }
}
