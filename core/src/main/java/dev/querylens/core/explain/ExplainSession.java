package dev.querylens.core.explain;

import dev.querylens.core.sql.SqlSyntax;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * One sample's use of a connection of the sampler's own: everything the sampler asks the database (the session's
 * syntax, the catalog checks, the EXPLAIN, table sizes) runs inside one transaction, read-only where the database
 * has such a thing, with the EXPLAIN's lock and statement timeouts ({@link ExplainCommand}). {@link #close()}
 * rolls the transaction back and puts back every session setting the sample changed (auto-commit, and on MySQL
 * and H2 the timeouts, read before they were changed). When it cannot, {@link #restored()} is false and the
 * connection must not go back to the pool as it is.
 */
public final class ExplainSession implements AutoCloseable {
    /** Separates the names handed to the catalog checks; no database lets it into a name unquoted. */
    private static final char SEPARATOR = '\u0001';

    private final Connection connection;
    private final Dialect dialect;
    private final ExplainTimeouts timeouts;
    private final boolean autoCommit;
    /** Statements that put back the session settings the setup changed, read before the change. */
    private final List<String> restore;
    private boolean restored = true;
    private boolean closed;
    private SqlSyntax syntax;
    private boolean syntaxRead;

    private ExplainSession(Connection connection, Dialect dialect, ExplainTimeouts timeouts, boolean autoCommit,
                           List<String> restore) {
        this.connection = connection;
        this.dialect = dialect;
        this.timeouts = timeouts;
        this.autoCommit = autoCommit;
        this.restore = restore;
    }

    /**
     * Reads what the sample will change, turns auto-commit off and runs the dialect's setup. On failure the
     * connection is put back as found where possible, and the exception says whether it could be
     * ({@link NotRestoredException}).
     */
    public static ExplainSession open(Connection connection, Dialect dialect, ExplainTimeouts timeouts)
            throws SQLException {
        if (!dialect.supported()) {
            throw new IllegalArgumentException("no EXPLAIN support for an unsupported database");
        }
        boolean autoCommit = connection.getAutoCommit();
        ExplainSession session = new ExplainSession(connection, dialect, timeouts, autoCommit,
                restoreStatements(connection, dialect));
        try {
            if (autoCommit) {
                connection.setAutoCommit(false);
            }
            try (Statement s = connection.createStatement()) {
                for (String sql : ExplainCommand.setup(dialect, timeouts)) {
                    s.execute(sql);
                }
            }
            return session;
        } catch (SQLException | RuntimeException e) {
            session.close();
            if (!session.restored()) {
                throw new NotRestoredException(e);
            }
            throw e;
        }
    }

    /** The statements that put back what the setup changes for the session (not for the transaction). */
    private static List<String> restoreStatements(Connection connection, Dialect dialect) throws SQLException {
        return switch (dialect) {
            case MYSQL -> {
                try (Statement s = connection.createStatement();
                     ResultSet rs = s.executeQuery("SELECT @@SESSION.lock_wait_timeout")) {
                    rs.next();
                    yield List.of("SET SESSION lock_wait_timeout = " + rs.getLong(1));
                }
            }
            case H2 -> {
                try (Statement s = connection.createStatement();
                     ResultSet rs = s.executeQuery("SELECT LOCK_TIMEOUT(), (SELECT SETTING_VALUE FROM"
                             + " INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'QUERY_TIMEOUT')")) {
                    rs.next();
                    int queryTimeout = rs.getString(2) == null ? 0 : Integer.parseInt(rs.getString(2).trim());
                    yield List.of("SET LOCK_TIMEOUT " + rs.getInt(1), "SET QUERY_TIMEOUT " + queryTimeout);
                }
            }
            default -> List.of();
        };
    }

    public Dialect dialect() {
        return dialect;
    }

    /**
     * How this session reads SQL text ({@link ExplainJdbc#sessionSyntax}), read once; {@code null} when the
     * session does not say.
     */
    public SqlSyntax syntax() {
        if (!syntaxRead) {
            knownSyntax(ExplainJdbc.sessionSyntax(dialect, this::prepare));
        }
        return syntax;
    }

    /** Takes {@code syntax} as this session's, read by the caller ({@code null}: unknown). */
    void knownSyntax(SqlSyntax syntax) {
        this.syntax = syntax;
        this.syntaxRead = true;
    }

    /**
     * Why the database's own objects could make planning {@code sql} run code with a side effect, or {@code null}
     * when they cannot. A statement can reach functions without naming them: through a view, a row-level security
     * policy (PostgreSQL), a user-defined operator or cast (PostgreSQL). One catalog read:
     * <ul>
     *   <li>PostgreSQL: its planner runs only STABLE and IMMUTABLE functions. Where a schema other than
     *       {@code pg_catalog} has such a function (one an extension did not install), the statement must not
     *       call a function of that name (a call resolves across the search path by argument types), and, when
     *       such functions exist at all, must name no view and no table with row-level security, use no operator
     *       they implement, and the database must define no cast with one.</li>
     *   <li>MySQL, MariaDB, H2: the statement names no view (a view can call stored functions, sequences and
     *       locks that planning evaluates or materialises). Stored functions cannot take a built-in's name when
     *       called unqualified, and H2 refuses such aliases.</li>
     * </ul>
     * Names are compared as words, ignoring case: a column that shares a view's name keeps a statement out too.
     */
    public String indirectCalls(String sql) throws SQLException {
        StatementShape shape = ExplainCommand.shape(dialect, syntax(), sql);
        String names = joined(shape.names());
        if (names == null) {
            return "a name holds a control character";
        }
        if (dialect == Dialect.POSTGRESQL) {
            Set<String> calls = new TreeSet<>();
            for (StatementShape.Call call : shape.calls()) {
                calls.add(call.name().toLowerCase(Locale.ROOT));
            }
            String callNames = joined(calls);
            try (PreparedStatement ps = prepare(POSTGRES_INDIRECT_CALLS)) {
                ps.setString(1, callNames == null ? "" : callNames);
                ps.setString(2, names);
                ps.setString(3, sql);
                return firstString(ps);
            }
        }
        String views = switch (dialect) {
            case MYSQL, MARIADB -> "SELECT MIN(TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_TYPE = 'VIEW'"
                    + " AND TABLE_SCHEMA NOT IN ('mysql', 'sys', 'information_schema', 'performance_schema')"
                    + " AND LOCATE(CONCAT(CHAR(1), LOWER(TABLE_NAME), CHAR(1)), ?) > 0";
            default -> "SELECT MIN(TABLE_NAME) FROM INFORMATION_SCHEMA.VIEWS"
                    + " WHERE LOCATE(CONCAT(CHAR(1), LOWER(TABLE_NAME), CHAR(1)), ?) > 0";
        };
        try (PreparedStatement ps = prepare(views)) {
            ps.setString(1, names);
            return firstString(ps) == null ? null : "names a view, which can call functions that planning runs";
        }
    }

    private static final String POSTGRES_INDIRECT_CALLS = """
            WITH planner_callable AS (
              SELECT p.oid, p.proname FROM pg_catalog.pg_proc p
              WHERE p.pronamespace <> 'pg_catalog'::regnamespace AND p.provolatile <> 'v'
                AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass
                                AND d.objid = p.oid AND d.deptype = 'e'))
            SELECT CASE
              WHEN EXISTS (SELECT 1 FROM planner_callable f
                           WHERE strpos(?, chr(1) || f.proname || chr(1)) > 0)
                THEN 'calls a function whose name a STABLE or IMMUTABLE user function shares'
              WHEN NOT EXISTS (SELECT 1 FROM planner_callable) THEN NULL
              WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_class c
                           WHERE (c.relkind = 'v' OR c.relrowsecurity)
                             AND strpos(?, chr(1) || lower(c.relname) || chr(1)) > 0)
                THEN 'names a view or a table with row-level security, while STABLE or IMMUTABLE user functions exist'
              WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_operator o JOIN planner_callable f ON f.oid = o.oprcode
                           WHERE strpos(?, o.oprname) > 0)
                THEN 'uses an operator implemented by a STABLE or IMMUTABLE user function'
              WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_cast k JOIN planner_callable f ON f.oid = k.castfunc)
                THEN 'the database has a cast implemented by a STABLE or IMMUTABLE user function'
            END""";

    /**
     * Runs the EXPLAIN of {@code sql} and returns its raw output for {@link PlanParser#parse}: the single value of
     * its single row, or for several rows their values joined by new lines; empty when the statement gave no
     * result set (no plan: {@link PlanParser#parse} refuses it).
     *
     * @param binds the statement's bind values in order, set with {@code setObject}
     * @throws IllegalArgumentException when {@link ExplainCommand#notExplainable(Dialect, SqlSyntax, String)}
     *                                  gives a reason
     */
    public String explain(String sql, List<?> binds) throws SQLException {
        ExplainCommand command = ExplainCommand.of(dialect, syntax(), sql, timeouts);
        try (PreparedStatement ps = connection.prepareStatement(command.explainSql())) {
            if (command.queryTimeoutSeconds() > 0) {
                ps.setQueryTimeout(command.queryTimeoutSeconds());
            }
            for (int i = 0; i < binds.size(); i++) {
                ps.setObject(i + 1, binds.get(i));
            }
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = results(ps)) {
                while (rs != null && rs.next()) {
                    if (plan.length() > 0) {
                        plan.append('\n');
                    }
                    plan.append(rs.getString(1));
                }
            }
            return plan.toString();
        }
    }

    /**
     * The planner's row estimate for one table, or {@code -1} when the database does not know it (an unknown
     * table, a view, a PostgreSQL table never analysed), with the EXPLAIN's timeouts.
     *
     * @param schema the schema as the plan named it, or {@code null} for the connection's current schema
     */
    public long tableRows(String schema, String table) throws SQLException {
        try (PreparedStatement ps = prepare(dialect.tableRowsSql())) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = results(ps)) {
                if (rs == null || !rs.next()) {
                    return -1;
                }
                long rows = rs.getLong(1);
                return rs.wasNull() || rows < 0 ? -1 : rows;
            }
        }
    }

    /** A statement of the sampler's own with the EXPLAIN's limits. */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(bounded(sql));
        int seconds = ExplainCommand.queryTimeoutSeconds(dialect, timeouts);
        if (seconds > 0) {
            ps.setQueryTimeout(seconds);
        }
        return ps;
    }

    private String bounded(String sql) {
        return ExplainCommand.bounded(dialect, timeouts, sql);
    }

    private static String firstString(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = results(ps)) {
            return rs != null && rs.next() ? rs.getString(1) : null;
        }
    }

    /**
     * Runs a statement of the sampler's own and gives its result set, or {@code null} when it gave none.
     * {@code execute()} and not {@code executeQuery()}: on MariaDB the text is wrapped in
     * {@code SET STATEMENT ... FOR} ({@link ExplainCommand#bounded}), and MySQL Connector/J refuses
     * {@code executeQuery()} for any text starting with {@code SET} (S1009) although the server returns rows.
     */
    static ResultSet results(PreparedStatement ps) throws SQLException {
        return ps.execute() ? ps.getResultSet() : null;
    }

    /** {@code names} lower-cased, each between two separators, or {@code null} when one holds a separator. */
    private static String joined(Set<String> names) {
        StringBuilder sb = new StringBuilder().append(SEPARATOR);
        for (String name : names) {
            if (name.indexOf(SEPARATOR) >= 0) {
                return null;
            }
            sb.append(name.toLowerCase(Locale.ROOT)).append(SEPARATOR);
        }
        return sb.toString();
    }

    /** False once putting the connection back as found failed: it must be evicted from its pool, not reused. */
    public boolean restored() {
        return restored;
    }

    /** Rolls back and puts the session settings back. Never throws; see {@link #restored()}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException e) {
            restored = false;
        }
        if (!restore.isEmpty()) {
            try (Statement s = connection.createStatement()) {
                for (String sql : restore) {
                    s.execute(sql);
                }
            } catch (SQLException | RuntimeException e) {
                restored = false;
            }
        }
        if (autoCommit) {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException | RuntimeException e) {
                restored = false;
            }
        }
    }

    /** The session could not be opened, nor put back as it was: the connection must be evicted. */
    public static final class NotRestoredException extends SQLException {
        NotRestoredException(Throwable cause) {
            super("the connection could not be put back as it was found", "HY000", cause);
        }
    }
}
