package dev.querylens.core.detect;

import java.util.Locale;

/** What kind of problem a {@link Finding} is. */
public enum FindingKind {
    /** One SELECT run again and again with different values: a lazy association or a query in a loop. */
    N_PLUS_ONE("One query with a join instead of one per row: JOIN FETCH, @EntityGraph, or a single query with an IN list (batch fetching)."),
    /** The same SELECT with the very same values run several times in one unit of work. */
    DUPLICATE("Run it once and reuse the result (keep it in a local variable or a request-scoped cache)."),
    /** One INSERT, UPDATE, DELETE or MERGE run statement by statement, again and again, rather than batched. */
    UNBATCHED_WRITES("Batch the writes: JDBC addBatch/executeBatch, or with Hibernate hibernate.jdbc.batch_size "
            + "(with hibernate.order_inserts and hibernate.order_updates); or write a multi-row INSERT or one set-based "
            + "UPDATE/DELETE."),
    /** A full scan of a big table where a predicate keeps only part of it. */
    SEQ_SCAN("Add an index on the filtered columns (see the suggestion), or narrow the query.");

    /** The fix hint of an N+1 whose loads happened while a view rendered (open session in view). */
    public static final String VIEW_RENDERING_HINT = "The view loads this lazily, once per row, while it renders: fetch "
            + "it in the query that loads the page's data (JOIN FETCH, an entity graph) instead, and consider "
            + "spring.jpa.open-in-view=false so that lazy loads in views fail fast.";

    private final String hint;
    private final String tag = name().toLowerCase(Locale.ROOT).replace('_', '-');

    FindingKind(String hint) {
        this.hint = hint;
    }

    /** The default fix hint for this kind. */
    public String hint() {
        return hint;
    }

    /** Lowercase name for JSON and logs: {@code n-plus-one}, {@code duplicate}, {@code seq-scan}. */
    public String tag() {
        return tag;
    }
}
