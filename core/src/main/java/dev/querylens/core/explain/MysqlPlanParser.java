package dev.querylens.core.explain;

import dev.querylens.core.explain.StatementShape.TableRef;
import dev.querylens.core.sql.SqlSyntax;


import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code EXPLAIN FORMAT=JSON} output of MySQL and MariaDB. Two shapes exist:
 * <ul>
 *   <li>the classic one (MariaDB, MySQL by default): {@code query_block} with {@code table} objects, joins under
 *       {@code nested_loop}; {@code table_name} is the alias, {@code LIMIT} is not printed, so both come from the
 *       statement's text ({@link StatementShape});</li>
 *   <li>MySQL's {@code explain_json_format_version=2} (8.3 and later): one access-path object per node, children
 *       in {@code inputs}, a full scan is {@code "access_type": "table"} below a {@code filter} node that holds
 *       its condition, real table names and {@code limit} nodes.</li>
 * </ul>
 */
final class MysqlPlanParser {
    private static final Set<String> INDEX_ACCESS = Set.of(
            "system", "const", "eq_ref", "ref", "ref_or_null", "range", "index", "index_merge", "fulltext",
            "unique_subquery", "index_subquery", "hash_index", "hash_range", "hash_index_merge");
    // Keys a classic plan may nest a read in while the outer LIMIT still pulls it row by row.
    private static final Set<String> STREAMING_KEYS = Set.of("query_block", "nested_loop", "table");
    // Format 2 nodes through which an outer LIMIT still stops the first read early.
    private static final Set<String> PASS_EARLY = Set.of("filter", "join", "stream");

    private final Dialect dialect;
    private final StatementShape shape;
    private final List<ScanNode> scans = new ArrayList<>();

    private MysqlPlanParser(Dialect dialect, String sql) {
        this.dialect = dialect;
        this.shape = StatementShape.of(sql, SqlSyntax.MYSQL);
    }

    static ExplainPlan parse(Dialect dialect, String json, String sql) throws PlanParseException {
        Map<String, Object> root = JsonTree.object(PlanParser.json(dialect, json));
        if (root == null) {
            throw new PlanParseException(dialect, "the top-level JSON value is not an object");
        }
        MysqlPlanParser parser = new MysqlPlanParser(dialect, sql);
        if (root.containsKey("query_block")) {
            parser.walkClassic(root.get("query_block"), "query_block", sql != null && parser.shape.limitStopsEarly());
        } else if (root.containsKey("access_type") || root.containsKey("inputs")) {
            parser.walkV2(root, false, null, Double.NaN);
        } else {
            throw new PlanParseException(dialect, "neither \"query_block\" (format 1) nor \"access_type\" (format 2)"
                    + " at the top level: " + root.keySet());
        }
        return new ExplainPlan(dialect, parser.scans);
    }

    private void walkClassic(Object value, String key, boolean early) {
        Map<String, Object> object = JsonTree.object(value);
        if (object != null) {
            if (key.equals("table") && object.get("table_name") instanceof String) {
                scans.add(classicScan(object, early));
                early = false; // what a table object nests (materialized subqueries) is read on its own
            }
            for (Map.Entry<String, Object> e : object.entrySet()) {
                walkClassic(e.getValue(), e.getKey(), early && STREAMING_KEYS.contains(e.getKey()));
            }
        } else if (value instanceof List<?>) {
            List<Object> list = JsonTree.array(value);
            for (int i = 0; i < list.size(); i++) {
                // In a nested loop only the first table is read as the outer LIMIT asks for rows.
                walkClassic(list.get(i), key, early && i == 0 && key.equals("nested_loop"));
            }
        }
    }

    private ScanNode classicScan(Map<String, Object> table, boolean early) {
        String name = JsonTree.string(table, "table_name");
        String type = JsonTree.string(table, "access_type");
        Access access;
        if (name.startsWith("<")) {
            access = Access.OTHER; // <derived2>, <subquery3>, <union1,2>: temporary results, not tables
        } else if ("ALL".equals(type) || "hash_ALL".equals(type)) {
            access = Access.FULL_SCAN;
        } else {
            // a table with no access type (found by fuzzing) is read in a way the plan does not say
            access = type != null && INDEX_ACCESS.contains(type) ? Access.INDEX : Access.OTHER;
        }
        double rows = JsonTree.number(table, "rows_examined_per_scan");
        if (Double.isNaN(rows)) {
            rows = JsonTree.number(table, "rows"); // MariaDB
        }
        double filtered = JsonTree.number(table, "filtered");
        String condition = JsonTree.string(table, "attached_condition");
        // "filtered": 100 (or none) beside a condition means the planner made no estimate of it (MariaDB without
        // statistics on the column): the rows kept are unknown, not the whole table (ScanJudge.MAX_KEPT_FRACTION)
        boolean unestimated = condition != null && (Double.isNaN(filtered) || filtered >= 100);
        long estimate = Double.isNaN(rows) || unestimated ? -1
                : Math.round(Double.isNaN(filtered) ? rows : rows * filtered / 100);
        TableRef ref = name.startsWith("<") ? null : shape.table(name);
        String alias = ref == null || ref.table().equalsIgnoreCase(name) ? null : name;
        return new ScanNode(ref == null ? null : ref.schema(), ref == null ? name : ref.table(), alias, access,
                estimate, condition, early);
    }

    /**
     * @param filter     the condition of a {@code filter} parent applied to this node's rows, or {@code null}
     * @param filterRows that parent's row estimate, the rows this read returns after the filter
     */
    private void walkV2(Map<String, Object> node, boolean early, String filter, double filterRows)
            throws PlanParseException {
        String type = JsonTree.string(node, "access_type");
        String table = JsonTree.string(node, "table_name");
        if (table != null) {
            Access access = "table".equals(type) ? Access.FULL_SCAN
                    : "index".equals(type) ? Access.INDEX : Access.OTHER;
            double rows = Double.isNaN(filterRows) ? JsonTree.number(node, "estimated_rows") : filterRows;
            scans.add(new ScanNode(JsonTree.string(node, "schema_name"), table, JsonTree.string(node, "alias"),
                    access, Double.isNaN(rows) ? -1 : Math.round(rows), filter, early));
        }
        List<Object> inputs = new ArrayList<>(JsonTree.array(node.get("inputs")));
        inputs.addAll(JsonTree.array(node.get("inputs_from_select_list")));
        // a node with no access type (found by fuzzing) passes no early stop on
        boolean passesEarly = "limit".equals(type) || (early && type != null && PASS_EARLY.contains(type));
        for (int i = 0; i < inputs.size(); i++) {
            Map<String, Object> child = JsonTree.object(inputs.get(i));
            if (child == null) {
                throw new PlanParseException(dialect, "\"inputs\" of a " + type + " node holds a non-object");
            }
            boolean first = i == 0 && !Boolean.TRUE.equals(child.get("subquery"));
            boolean toTable = first && "filter".equals(type) && child.get("table_name") != null;
            walkV2(child, first && passesEarly, toTable ? JsonTree.string(node, "condition") : null,
                    toTable ? JsonTree.number(node, "estimated_rows") : Double.NaN);
        }
    }
}
