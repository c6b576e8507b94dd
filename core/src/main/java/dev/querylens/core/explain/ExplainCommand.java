package dev.querylens.core.explain;

import dev.querylens.core.sql.SqlSyntax;

import java.util.List;
import java.util.Locale;

/**
 * The statements that fetch one plan safely, per dialect; an {@link ExplainSession} runs them, always inside a
 * transaction that it rolls back, and puts back every session setting it changed. Each dialect bounds the
 * EXPLAIN (and the sampler's own catalog reads) in its own way:
 * <ul>
 *   <li>PostgreSQL: {@code SET TRANSACTION READ ONLY}, {@code SET LOCAL lock_timeout} and
 *       {@code statement_timeout}: they end with the transaction;</li>
 *   <li>MariaDB: {@code START TRANSACTION READ ONLY}, and each statement as
 *       {@code SET STATEMENT lock_wait_timeout=.., max_statement_time=.. FOR ...}, scoped to that statement;</li>
 *   <li>MySQL: {@code START TRANSACTION READ ONLY} and {@code SET SESSION lock_wait_timeout}, read before and
 *       restored after (MySQL has no statement-scoped lock timeout for EXPLAIN, and {@code max_execution_time}
 *       covers only executed SELECTs: the sampler's own SELECTs carry it as a hint); the JDBC query timeout
 *       bounds the EXPLAIN;</li>
 *   <li>H2: {@code SET LOCK_TIMEOUT} and {@code SET QUERY_TIMEOUT}, read before and restored after.</li>
 * </ul>
 *
 * @param setup               statements to run first, in order, once auto-commit is off
 * @param explainSql          the EXPLAIN itself; its {@code ?} markers are the statement's
 * @param queryTimeoutSeconds the JDBC query timeout of every statement, where the server cannot bound the EXPLAIN
 *                            itself (MySQL); 0 elsewhere: no query timeout
 */
public record ExplainCommand(List<String> setup, String explainSql, int queryTimeoutSeconds) {

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
     * And it calls nothing that planning could run with a side effect: only built-ins of
     * {@link SideEffectFreeFunctions}, no sequence, no variable assignment. What it reaches through the database's
     * own objects (views, policies) is checked on the database by {@link ExplainSession#indirectCalls}.
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
        StatementShape shape = shape(dialect, syntax, sql);
        String reason = shape.notExplainable();
        return reason != null ? reason : SideEffectFreeFunctions.notAllowed(dialect, shape);
    }

    /**
     * Why {@code sql} would be refused by {@link #notExplainable(Dialect, SqlSyntax, String)} on every session it
     * could meet, or {@code null} when some session could explain it: on {@code dialect} under each setting its
     * sessions can have, or, with {@code null} (a DataSource not yet seen), on every supported database. Needs no
     * connection: the sampler asks it before it borrows one, so that a statement it would skip never takes a
     * connection from the application's pool. A refusal here is a refusal on the session too (the session's
     * syntax is one of these settings, and an unknown one refuses whatever any of them refuses).
     */
    public static String notExplainableOnAnySession(Dialect dialect, String sql) {
        String reason = null;
        for (Dialect d : dialect == null ? Dialect.values() : new Dialect[] {dialect}) {
            if (!d.supported()) {
                if (dialect != null) {
                    return "the database is not supported";
                }
                continue;
            }
            for (SqlSyntax syntax : SqlSyntax.variants(d.syntaxFamily())) {
                reason = notExplainable(d, syntax, sql);
                if (reason == null) {
                    return null;
                }
            }
        }
        return reason;
    }

    /** {@code sql} read as {@code syntax} reads it, or as every setting of the dialect may when it is unknown. */
    static StatementShape shape(Dialect dialect, SqlSyntax syntax, String sql) {
        return syntax != null && syntax.family() == dialect.syntaxFamily()
                ? StatementShape.of(sql, syntax)
                : StatementShape.of(sql, SqlSyntax.variants(dialect.syntaxFamily()));
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
        return new ExplainCommand(setup(dialect, timeouts), bounded(dialect, timeouts,
                dialect.explainPrefix() + statement), queryTimeoutSeconds(dialect, timeouts));
    }

    /** What opens a sample on {@code dialect}, once auto-commit is off: a read-only transaction and the limits. */
    static List<String> setup(Dialect dialect, ExplainTimeouts timeouts) {
        long statementMs = timeouts.statement().toMillis();
        long lockMs = timeouts.lock().toMillis();
        return switch (dialect) {
            case POSTGRESQL -> List.of(
                    "SET TRANSACTION READ ONLY",
                    "SET LOCAL lock_timeout = '" + lockMs + "ms'",
                    "SET LOCAL statement_timeout = '" + statementMs + "ms'");
            case MARIADB -> List.of("START TRANSACTION READ ONLY");
            case MYSQL -> List.of("START TRANSACTION READ ONLY", "SET SESSION lock_wait_timeout = " + ceilSeconds(lockMs));
            case H2 -> List.of("SET LOCK_TIMEOUT " + lockMs, "SET QUERY_TIMEOUT " + statementMs);
            default -> throw new IllegalArgumentException("not explained: the database is not supported");
        };
    }

    /**
     * {@code sql}, one of the sampler's statements (the EXPLAIN, a catalog read), with the limits that
     * {@code dialect} scopes to one statement: MariaDB's {@code SET STATEMENT ... FOR}, MySQL's
     * {@code MAX_EXECUTION_TIME} hint on a plain SELECT.
     */
    static String bounded(Dialect dialect, ExplainTimeouts timeouts, String sql) {
        long statementMs = timeouts.statement().toMillis();
        if (dialect == Dialect.MARIADB) {
            return String.format(Locale.ROOT, "SET STATEMENT lock_wait_timeout=%d, max_statement_time=%.3f FOR %s",
                    ceilSeconds(timeouts.lock().toMillis()), statementMs / 1000.0, sql);
        }
        if (dialect == Dialect.MYSQL && sql.startsWith("SELECT ")) {
            return "SELECT /*+ MAX_EXECUTION_TIME(" + statementMs + ") */ " + sql.substring("SELECT ".length());
        }
        return sql;
    }

    /**
     * The JDBC query timeout: on MySQL the statement timeout rounded up, plus one second; elsewhere 0, none. A
     * query timeout makes the application's driver start a thread that cancels the statement, kept while the
     * connection stays open, which for a pooled one is for good (pgjdbc's JVM-wide
     * {@code PostgreSQL-JDBC-SharedTimer-N}; Connector/J's {@code MySQL Statement Cancellation Timer}, one per
     * connection). So it is set only where no server-side limit bounds the EXPLAIN: MySQL's
     * {@code MAX_EXECUTION_TIME} covers only executed SELECTs, while the optimizer that EXPLAIN runs reads rows
     * too (constant tables). On PostgreSQL and MariaDB the limits of {@link #setup} and {@link #bounded} cover every
     * statement of the sampler (on a MariaDB server, MariaDB Connector/J would only have added another
     * {@code SET STATEMENT max_statement_time}); on H2 a JDBC query timeout would set the session's.
     */
    static int queryTimeoutSeconds(Dialect dialect, ExplainTimeouts timeouts) {
        return dialect != Dialect.MYSQL ? 0
                : (int) Math.min(Integer.MAX_VALUE, ceilSeconds(timeouts.statement().toMillis()) + 1);
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
