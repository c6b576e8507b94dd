package dev.querylens.core.explain;

import java.util.List;

/**
 * An index that would let the database find a filter's rows without reading the whole table. It is advice for a
 * human: Querylens never runs it.
 *
 * @param columns the columns, in index order (equality columns first); empty when there is no suggestion
 * @param sql     the {@code CREATE INDEX} statement, or {@code null} when no column could be trusted
 * @param problem why there is no suggestion (say, an {@code OR} across columns), else {@code null}
 */
public record IndexSuggestion(List<String> columns, String sql, String problem) {
    public IndexSuggestion {
        columns = List.copyOf(columns);
    }

    /** True when {@link #sql()} holds a statement. */
    public boolean present() {
        return sql != null;
    }
}
