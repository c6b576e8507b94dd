package dev.querylens.core.explain;

import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Table sizes as the planner's statistics give them, per data source, cached so that a sample asks for each table
 * at most once per {@value #TTL_MINUTES} minutes. Bound: {@value #MAX_ENTRIES} tables (cleared when full).
 */
final class TableSizeCache {
    static final int MAX_ENTRIES = 1024;
    static final int TTL_MINUTES = 10;

    private record TableSize(long rows, long expiresAt) {
    }

    /** Reads one table's row estimate from the database (with the sample's timeouts). */
    interface Lookup {
        long rows(String schema, String table) throws SQLException;
    }

    private final ConcurrentHashMap<String, TableSize> sizes = new ConcurrentHashMap<>();

    /** Rows of {@code schema.table}, from the cache or {@code lookup}; -1 when the size could not be read. */
    long rows(String dataSourceName, String schema, String table, Lookup lookup) {
        String key = dataSourceName + '|' + schema + '|' + table;
        long now = System.nanoTime();
        TableSize cached = sizes.get(key);
        if (cached != null && now - cached.expiresAt() < 0) {
            return cached.rows();
        }
        long rows;
        try {
            rows = lookup.rows(schema, table);
        } catch (SQLException e) {
            rows = -1;
        }
        if (sizes.size() >= MAX_ENTRIES) {
            sizes.clear();
        }
        sizes.put(key, new TableSize(rows, now + TimeUnit.MINUTES.toNanos(TTL_MINUTES)));
        return rows;
    }
}
