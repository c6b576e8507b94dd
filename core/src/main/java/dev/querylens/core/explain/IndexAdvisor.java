package dev.querylens.core.explain;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Builds the {@code CREATE INDEX} for a scan's filter: PostgreSQL's unnamed form
 * {@code CREATE INDEX ON orders (status)}, elsewhere a named one {@code CREATE INDEX idx_orders_status ON orders
 * (status)}. Columns come from {@link FilterColumns}.
 */
final class IndexAdvisor {
    // PostgreSQL and MySQL cut identifiers at 63 and 64 bytes.
    private static final int MAX_NAME = 63;

    private IndexAdvisor() {
    }

    static IndexSuggestion suggest(Dialect dialect, ScanNode scan) {
        FilterColumns.Result result = FilterColumns.extract(scan.filter(), scan.table(), scan.alias(),
                dialect.mysqlFamily());
        if (result.columns().isEmpty()) {
            return new IndexSuggestion(List.of(), null, result.problem());
        }
        List<String> names = result.columns().stream().map(FilterColumns.Column::name).toList();
        String columns = result.columns().stream().map(c -> column(dialect, c)).collect(Collectors.joining(", "));
        String table = dialect.sqlName(scan.table());
        if (scan.schema() != null && !(dialect == Dialect.H2 && scan.schema().equals("PUBLIC"))) {
            table = dialect.sqlName(scan.schema()) + "." + table;
        }
        String name = dialect.indexNameRequired() ? indexName(scan.table(), names) + " " : "";
        return new IndexSuggestion(names, "CREATE INDEX " + name + "ON " + table + " (" + columns + ")", null);
    }

    /**
     * PostgreSQL serves {@code LIKE 'x%'} from a plain B-tree only under the C collation;
     * {@code text_pattern_ops} works under any and still serves equality.
     */
    private static String column(Dialect dialect, FilterColumns.Column column) {
        String name = dialect.sqlName(column.name());
        return dialect == Dialect.POSTGRESQL && column.use() == FilterColumns.Use.PREFIX
                ? name + " text_pattern_ops" : name;
    }

    private static String indexName(String table, List<String> columns) {
        String name = ("idx_" + table + "_" + String.join("_", columns)).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]+", "_");
        return name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name;
    }
}
