package dev.querylens.core.explain;

/**
 * A plan that could not be read. The message names the dialect and what was unexpected; the sampler counts it
 * as an {@code error} outcome and goes on.
 */
public final class PlanParseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Dialect dialect;

    PlanParseException(Dialect dialect, String problem) {
        super(dialect + " plan: " + problem);
        this.dialect = dialect;
    }

    PlanParseException(Dialect dialect, String problem, Throwable cause) {
        super(dialect + " plan: " + problem, cause);
        this.dialect = dialect;
    }

    /** The dialect whose plan failed to parse. */
    public Dialect dialect() {
        return dialect;
    }
}
