package dev.querylens.core.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code EXPLAIN (FORMAT JSON)} output of PostgreSQL: {@code [{"Plan": {...}}]}, each node with
 * {@code Node Type} and children in {@code Plans}. Every node with a {@code Relation Name} is a table read.
 */
final class PostgresPlanParser {
    private static final Set<String> INDEX_SCANS = Set.of("Index Scan", "Index Only Scan", "Bitmap Heap Scan");
    // Nodes that hand rows upward as they get them, so a Limit above them stops the read below.
    private static final Set<String> STREAMING = Set.of(
            "Limit", "Result", "Subquery Scan", "Gather", "Append", "ProjectSet", "Nested Loop", "Hash Join",
            "Merge Join");
    private static final Set<String> JOINS = Set.of("Nested Loop", "Hash Join", "Merge Join");

    private final List<ScanNode> scans = new ArrayList<>();

    private PostgresPlanParser() {
    }

    static ExplainPlan parse(String json) throws PlanParseException {
        Object root = PlanParser.json(Dialect.POSTGRESQL, json);
        List<Object> statements = root instanceof List<?> ? JsonTree.array(root) : List.of(root);
        if (statements.isEmpty()) {
            throw new PlanParseException(Dialect.POSTGRESQL, "empty JSON array");
        }
        PostgresPlanParser parser = new PostgresPlanParser();
        for (Object statement : statements) {
            Map<String, Object> top = JsonTree.object(statement);
            Map<String, Object> plan = top == null ? null : JsonTree.object(top.get("Plan"));
            if (plan == null) {
                throw new PlanParseException(Dialect.POSTGRESQL, "no \"Plan\" object in the top-level element");
            }
            parser.walk(plan, false, 0);
        }
        return new ExplainPlan(Dialect.POSTGRESQL, parser.scans);
    }

    private void walk(Map<String, Object> node, boolean early, int workers) throws PlanParseException {
        String type = JsonTree.string(node, "Node Type");
        if (type == null) {
            throw new PlanParseException(Dialect.POSTGRESQL, "a plan node has no \"Node Type\": " + node.keySet());
        }
        String relation = JsonTree.string(node, "Relation Name");
        if (relation != null) {
            scans.add(new ScanNode(null, relation, JsonTree.string(node, "Alias"), access(type),
                    rows(node, workers), JsonTree.string(node, "Filter"), early));
        }
        double planned = JsonTree.number(node, "Workers Planned");
        int childWorkers = Double.isNaN(planned) ? workers : (int) planned;
        for (Object child : JsonTree.array(node.get("Plans"))) {
            Map<String, Object> childNode = JsonTree.object(child);
            if (childNode == null) {
                throw new PlanParseException(Dialect.POSTGRESQL, "\"Plans\" of a " + type + " holds a non-object");
            }
            walk(childNode, streamsTo(type, early, JsonTree.string(childNode, "Parent Relationship")),
                    childWorkers);
        }
    }

    private static boolean streamsTo(String type, boolean early, String relationship) {
        if ("InitPlan".equals(relationship) || "SubPlan".equals(relationship)) {
            return false; // run on their own, not pulled row by row by this node
        }
        if (!type.equals("Limit") && !(early && STREAMING.contains(type))) {
            return false;
        }
        return !JOINS.contains(type) || "Outer".equals(relationship);
    }

    private static Access access(String type) {
        if (type.equals("Seq Scan")) {
            return Access.FULL_SCAN;
        }
        return INDEX_SCANS.contains(type) ? Access.INDEX : Access.OTHER;
    }

    /**
     * {@code Plan Rows} of a parallel-aware node is the share of one process; PostgreSQL divides by the workers
     * plus the leader's contribution ({@code 1 - 0.3 * workers} when positive, with the default
     * {@code parallel_leader_participation = on}), so the same factor gives the whole estimate back.
     */
    private static long rows(Map<String, Object> node, int workers) {
        double rows = JsonTree.number(node, "Plan Rows");
        if (Double.isNaN(rows)) {
            return -1;
        }
        if (Boolean.TRUE.equals(node.get("Parallel Aware")) && workers > 0) {
            rows *= workers + Math.max(0, 1 - 0.3 * workers);
        }
        return Math.round(rows);
    }
}
