package dev.querylens.core.explain;

import java.util.List;
import java.util.Locale;

/**
 * The statements that fetch one plan safely, per dialect; {@link ExplainJdbc#explain} runs them. Each dialect
 * bounds the EXPLAIN in its own way:
 * <ul>
 *   <li>PostgreSQL: a read-only transaction with {@code SET LOCAL lock_timeout} and {@code statement_timeout},
 *       rolled back after the EXPLAIN, so nothing outlives it;</li>
 *   <li>MariaDB: {@code SET STATEMENT lock_wait_timeout=.., max_statement_time=.. FOR EXPLAIN ...}, scoped to
 *       the one statement;</li>
 *   <li>MySQL: {@code SET SESSION lock_wait_timeout} (its {@code max_execution_time} covers only executed
 *       SELECTs, not EXPLAIN), so the JDBC query timeout bounds the run;</li>
 *   <li>H2: {@code SET LOCK_TIMEOUT} and {@code SET QUERY_TIMEOUT} for the session.</li>
 * </ul>
 * Session settings are why the sampler must use a connection of its own, never the application's.
 *
 * @param setup               statements to run first, in order, on the same connection
 * @param explainSql          the EXPLAIN itself; its {@code ?} markers are the statement's
 * @param readOnlyTransaction true when {@code setup} and the EXPLAIN must run inside one transaction that is
 *                            rolled back afterwards (PostgreSQL's {@code SET LOCAL} needs it)
 * @param queryTimeoutSeconds the JDBC query timeout to set on the EXPLAIN, a backstop to the server-side limits
 */
public record ExplainCommand(List<String> setup, String explainSql, boolean readOnlyTransaction,
                             int queryTimeoutSeconds) {

    public ExplainCommand {
        setup = List.copyOf(setup);
    }

    /**
     * Why {@code sql} must not be explained, or {@code null} when it may. Only a single {@code SELECT} (or
     * {@code WITH ... SELECT}) is explained: with a second statement after a {@code ;}, some drivers would run
     * that one for real. The sampler can cache a non-null answer per statement.
     */
    public static String notExplainable(Dialect dialect, String sql) {
        if (dialect == null || !dialect.supported()) {
            return "the database is not supported";
        }
        return StatementShape.of(sql, dialect.mysqlFamily()).notExplainable();
    }

    /**
     * The command for {@code sql} on {@code dialect}.
     *
     * @throws IllegalArgumentException when {@link #notExplainable} gives a reason
     */
    public static ExplainCommand of(Dialect dialect, String sql, ExplainTimeouts timeouts) {
        String reason = notExplainable(dialect, sql);
        if (reason != null) {
            throw new IllegalArgumentException("not explained: " + reason);
        }
        long statementMs = timeouts.statement().toMillis();
        long lockMs = timeouts.lock().toMillis();
        int jdbcSeconds = (int) Math.min(Integer.MAX_VALUE, ceilSeconds(statementMs) + 1);
        String explain = dialect.explainPrefix() + sql;
        return switch (dialect) {
            case POSTGRESQL -> new ExplainCommand(List.of(
                    "SET TRANSACTION READ ONLY",
                    "SET LOCAL lock_timeout = '" + lockMs + "ms'",
                    "SET LOCAL statement_timeout = '" + statementMs + "ms'"), explain, true, jdbcSeconds);
            case MARIADB -> new ExplainCommand(List.of(), String.format(Locale.ROOT,
                    "SET STATEMENT lock_wait_timeout=%d, max_statement_time=%.3f FOR %s",
                    ceilSeconds(lockMs), statementMs / 1000.0, explain), false, jdbcSeconds);
            case MYSQL -> new ExplainCommand(List.of(
                    "SET SESSION lock_wait_timeout = " + ceilSeconds(lockMs)), explain, false, jdbcSeconds);
            case H2 -> new ExplainCommand(List.of(
                    "SET LOCK_TIMEOUT " + lockMs,
                    "SET QUERY_TIMEOUT " + statementMs), explain, false, jdbcSeconds);
            default -> throw new IllegalArgumentException("not explained: the database is not supported");
        };
    }

    /** Whole seconds, rounded up, at least one: MySQL's lock_wait_timeout takes nothing finer. */
    private static long ceilSeconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}
