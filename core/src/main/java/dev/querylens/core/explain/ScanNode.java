package dev.querylens.core.explain;

/**
 * One table read in a plan.
 *
 * @param schema             the schema when the plan names it (H2, MySQL JSON v2, or written in the statement),
 *                           else {@code null}: the connection's current schema
 * @param table              the table name as the database stores it (case kept, no quotes)
 * @param alias              the alias the statement gave the table, or {@code null}
 * @param access             how the table is read
 * @param estimatedRows      the planner's estimate of the rows this read returns after its own filter, per
 *                           execution, or {@code -1} when the plan does not say (H2). PostgreSQL parallel scans
 *                           are scaled back up from the per-process figure.
 * @param filter             the predicate the database applies while reading this table, as the plan prints it,
 *                           or {@code null} when it applies none
 * @param stopsEarlyUnderLimit true when a {@code LIMIT} without ordering or grouping above this read lets it stop
 *                           after the first rows: the whole table is then rarely read
 */
public record ScanNode(String schema, String table, String alias, Access access, long estimatedRows, String filter,
                       boolean stopsEarlyUnderLimit) {

    /** True when the table is read in full: the one kind of read the scan rules look at. */
    public boolean fullScan() {
        return access == Access.FULL_SCAN;
    }
}
