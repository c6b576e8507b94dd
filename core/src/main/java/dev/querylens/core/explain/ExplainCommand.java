package dev.querylens.core.explain;

import dev.querylens.core.sql.SqlSyntax;

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
     * Why {@code sql} must not be explained on a session of unknown settings, or {@code null} when it may: as
     * {@link #notExplainable(Dialect, SqlSyntax, String)} with every setting the dialect's sessions can have.
     */
    public static String notExplainable(Dialect dialect, String sql) {
        return notExplainable(dialect, null, sql);
    }

    /**
     * Why {@code sql} must not be explained, or {@code null} when it may. Two guards, each enough on its own:
     * <ul>
     *   <li>text with a {@code ;} anywhere but as one final terminator is never explained, wherever the
     *       {@code ;} stands (in a string, a comment): with a driver that sends several statements per call, a
     *       second statement would run for real;</li>
     *   <li>the text, read as {@code syntax} reads it ({@code null}: as every setting of the dialect reads it,
     *       and refused where those readings differ), is one {@code SELECT} (or {@code WITH ... SELECT}) read
     *       without doubt: no unterminated or executable comment, no character the lexer does not know.</li>
     * </ul>
     * The sampler can cache a non-null answer per statement.
     */
    public static String notExplainable(Dialect dialect, SqlSyntax syntax, String sql) {
        if (dialect == null || !dialect.supported()) {
            return "the database is not supported";
        }
        if (sql == null || sql.isEmpty()) {
            return "empty statement";
        }
        if (terminatorAt(sql) != sql.indexOf(';')) {
            return "a ; other than one final terminator (a second statement would run)";
        }
        StatementShape shape = syntax != null && syntax.family() == dialect.syntaxFamily()
                ? StatementShape.of(sql, syntax)
                : StatementShape.of(sql, SqlSyntax.variants(dialect.syntaxFamily()));
        return shape.notExplainable();
    }

    /**
     * The command for {@code sql} on a session of unknown settings.
     *
     * @throws IllegalArgumentException when {@link #notExplainable(Dialect, String)} gives a reason
     */
    public static ExplainCommand of(Dialect dialect, String sql, ExplainTimeouts timeouts) {
        return of(dialect, null, sql, timeouts);
    }

    /**
     * The command for {@code sql} on {@code dialect}, read as {@code syntax} (the session's; {@code null} when
     * unknown). A final {@code ;} is left out.
     *
     * @throws IllegalArgumentException when {@link #notExplainable(Dialect, SqlSyntax, String)} gives a reason
     */
    public static ExplainCommand of(Dialect dialect, SqlSyntax syntax, String sql, ExplainTimeouts timeouts) {
        String reason = notExplainable(dialect, syntax, sql);
        if (reason != null) {
            throw new IllegalArgumentException("not explained: " + reason);
        }
        int terminator = terminatorAt(sql);
        String statement = terminator < 0 ? sql : sql.substring(0, terminator);
        long statementMs = timeouts.statement().toMillis();
        long lockMs = timeouts.lock().toMillis();
        int jdbcSeconds = (int) Math.min(Integer.MAX_VALUE, ceilSeconds(statementMs) + 1);
        String explain = dialect.explainPrefix() + statement;
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

    /**
     * The offset of the one final {@code ;} of {@code sql} (followed by nothing but ASCII white space), or -1 when
     * there is none; the offset of the last {@code ;} is a different value than {@code sql.indexOf(';')} exactly
     * when the text has a {@code ;} that is not its final terminator.
     */
    private static int terminatorAt(String sql) {
        int last = sql.lastIndexOf(';');
        if (last < 0) {
            return -1;
        }
        for (int k = last + 1; k < sql.length(); k++) {
            char c = sql.charAt(k);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
                return -2; // a ; that something follows
            }
        }
        return last;
    }

    /** Whole seconds, rounded up, at least one: MySQL's lock_wait_timeout takes nothing finer. */
    private static long ceilSeconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}
