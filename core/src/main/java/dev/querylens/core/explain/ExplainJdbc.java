package dev.querylens.core.explain;

import dev.querylens.core.sql.SqlSyntax;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Plan sampling over plain JDBC, one call at a time: each call opens an {@link ExplainSession} on the connection,
 * which must belong to the caller alone, and closes it before returning. The sampler keeps one session open for a
 * whole sample instead.
 */
public final class ExplainJdbc {
    private ExplainJdbc() {
    }

    /**
     * How this connection's session reads SQL text: MySQL's and MariaDB's {@code sql_mode}, PostgreSQL's
     * {@code standard_conforming_strings}. One read-only round trip; {@code null} when the session does not say
     * (then every setting is assumed possible).
     */
    public static SqlSyntax sessionSyntax(Connection connection, Dialect dialect) {
        return sessionSyntax(dialect, sql -> connection.prepareStatement(sql));
    }

    /** A statement of the caller's own for {@code sql}: the session's bounds. */
    interface Preparer {
        PreparedStatement prepare(String sql) throws SQLException;
    }

    static SqlSyntax sessionSyntax(Dialect dialect, Preparer preparer) {
        String query = switch (dialect) {
            case MYSQL, MARIADB -> "SELECT @@SESSION.sql_mode";
            case POSTGRESQL -> "SHOW standard_conforming_strings";
            case H2 -> null;
            default -> "";
        };
        if (query == null) {
            return SqlSyntax.H2;
        }
        if (query.isEmpty()) {
            return null;
        }
        try (PreparedStatement s = preparer.prepare(query); ResultSet rs = ExplainSession.results(s)) {
            if (rs == null || !rs.next()) {
                return null;
            }
            String value = rs.getString(1);
            return dialect == Dialect.POSTGRESQL
                    ? "on".equalsIgnoreCase(value) ? SqlSyntax.postgresql(true)
                    : "off".equalsIgnoreCase(value) ? SqlSyntax.postgresql(false) : null
                    : SqlSyntax.mysql(value);
        } catch (SQLException e) {
            return null;
        }
    }

    /**
     * Runs the dialect's EXPLAIN of {@code sql}, reading the session's syntax first ({@link #sessionSyntax}).
     *
     * @see #explain(Connection, Dialect, SqlSyntax, String, List, ExplainTimeouts)
     */
    public static String explain(Connection connection, Dialect dialect, String sql, List<?> binds,
                                 ExplainTimeouts timeouts) throws SQLException {
        return explain(connection, dialect, sessionSyntax(connection, dialect), sql, binds, timeouts);
    }

    /**
     * Runs the dialect's EXPLAIN of {@code sql} in an {@link ExplainSession} and returns its raw output for
     * {@link PlanParser#parse}: the single value of its single row, or for several rows their values joined by
     * new lines. The database's catalog is not checked ({@link ExplainSession#indirectCalls}): the caller knows
     * the statement.
     *
     * @param syntax how the connection's session reads text ({@link #sessionSyntax}), {@code null} when unknown
     * @param binds  the statement's bind values in order, set with {@code setObject}; empty when it has none
     * @throws IllegalArgumentException when {@link ExplainCommand#notExplainable(Dialect, SqlSyntax, String)}
     *                                  gives a reason
     * @throws SQLException             from the driver, timeouts included; the connection is left as found
     *                                  (transaction rolled back, session settings and auto-commit restored), or
     *                                  {@link ExplainSession.NotRestoredException} when it could not be
     */
    public static String explain(Connection connection, Dialect dialect, SqlSyntax syntax, String sql, List<?> binds,
                                 ExplainTimeouts timeouts) throws SQLException {
        ExplainCommand.of(dialect, syntax, sql, timeouts); // refuses before anything runs
        ExplainSession session = ExplainSession.open(connection, dialect, timeouts);
        try (session) {
            session.knownSyntax(syntax);
            return session.explain(sql, binds);
        } finally {
            if (!session.restored()) {
                throw new ExplainSession.NotRestoredException(null);
            }
        }
    }

    /**
     * The planner's row estimate for one table, or {@code -1} when the database does not know it (an unknown
     * table, a view, a PostgreSQL table never analysed), with the EXPLAIN's timeouts. The sampler caches it per
     * table.
     *
     * @param schema the schema as the plan named it, or {@code null} for the connection's current schema
     */
    public static long tableRows(Connection connection, Dialect dialect, ExplainTimeouts timeouts, String schema,
                                 String table) throws SQLException {
        ExplainSession session = ExplainSession.open(connection, dialect, timeouts);
        try (session) {
            return session.tableRows(schema, table);
        } finally {
            if (!session.restored()) {
                throw new ExplainSession.NotRestoredException(null);
            }
        }
    }
}
