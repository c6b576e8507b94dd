package dev.querylens.core.explain;

import java.io.IOException;

/** Reads the raw output of a dialect's {@code EXPLAIN} into an {@link ExplainPlan}. */
public final class PlanParser {
    private PlanParser() {
    }

    /**
     * Parses one plan.
     *
     * @param dialect the database that printed it
     * @param rawPlan the single value the {@code EXPLAIN} returned (H2: the rows joined by new lines)
     * @param sql     the statement that was explained; MySQL and MariaDB plans name tables by alias and omit
     *                {@code LIMIT}, so their reader looks at it. May be {@code null}, then aliases stay unresolved
     *                and no read counts as stopped early by a {@code LIMIT}.
     * @return the plan, never {@code null}
     * @throws PlanParseException when the text is not a plan of that dialect; the message says what was
     *                            unexpected. No other exception leaves this method.
     */
    public static ExplainPlan parse(Dialect dialect, String rawPlan, String sql) throws PlanParseException {
        if (dialect == null || !dialect.supported()) {
            throw new PlanParseException(Dialect.UNSUPPORTED, "no plan reader for this database");
        }
        if (rawPlan == null || rawPlan.isBlank()) {
            throw new PlanParseException(dialect, "empty plan text");
        }
        try {
            return switch (dialect) {
                case POSTGRESQL -> PostgresPlanParser.parse(rawPlan);
                case MYSQL, MARIADB -> MysqlPlanParser.parse(dialect, rawPlan, sql);
                case H2 -> H2PlanParser.parse(rawPlan);
                default -> throw new PlanParseException(dialect, "no plan reader");
            };
        } catch (RuntimeException | StackOverflowError e) {
            // A reader bug or a shape nobody foresaw must stay an error outcome, never reach the sampler loop.
            throw new PlanParseException(dialect, "unexpected plan shape (" + e.getClass().getName() + ")", e);
        }
    }

    /** {@code text} as a JSON tree, or a parse error naming the dialect. */
    static Object json(Dialect dialect, String text) throws PlanParseException {
        try {
            return JsonTree.parse(text);
        } catch (IOException e) {
            // the parser's message quotes the plan text, which holds the sampled bind values
            String where = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                    ? " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() : "";
            throw new PlanParseException(dialect, "not JSON" + where);
        }
    }
}
