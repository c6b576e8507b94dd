package dev.querylens.core.detect;

import java.util.Map;

/**
 * One problem seen in one unit of work. It holds normalized SQL only: never a bind value or a literal.
 *
 * @param kind        what kind of problem
 * @param endpoint    the unit of work's endpoint (bounded, may be {@code OTHER})
 * @param table       the main table, or {@code unknown}
 * @param sql         the statement's normalized SQL
 * @param count       executions of the statement in the unit of work (for a seq scan: 1)
 * @param parentQuery normalized SQL of the query that the loop iterates over (N+1 only), or {@code null}
 * @param callSite    the first application frame that ran the statement, as {@code Class.method(File.java:42)},
 *                    or {@code null} when every frame belonged to a framework
 * @param hint        how to fix it
 * @param details     extra facts for some kinds (a seq scan's estimated rows, filter, index suggestion); never null
 */
public record Finding(FindingKind kind, String endpoint, String table, String sql, int count, String parentQuery,
                      String callSite, String hint, Map<String, String> details) {
    public Finding {
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
