package dev.querylens.core.explain;

/**
 * A full read of a big table to find the rows of a filter: what the plan sampler reports.
 *
 * @param dialect       the database
 * @param schema        the table's schema when the plan named it, else {@code null}
 * @param table         the table, case as stored
 * @param alias         its alias in the statement, or {@code null}
 * @param tableRows     the planner's row estimate for the whole table
 * @param estimatedRows the planner's estimate of rows the filter keeps, or {@code -1} when the plan does not say
 * @param filter        the filter as the plan prints it
 * @param suggestion    the index that would serve the filter, or why there is none
 */
public record SeqScanFinding(Dialect dialect, String schema, String table, String alias, long tableRows,
                             long estimatedRows, String filter, IndexSuggestion suggestion) {
}
