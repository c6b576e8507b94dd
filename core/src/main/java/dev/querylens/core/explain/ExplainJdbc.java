package dev.querylens.core.explain;

import dev.querylens.core.sql.SqlSyntax;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The two round trips of plan sampling over plain JDBC: fetching a plan and fetching a table's row estimate.
 * Both expect a connection that belongs to the sampler alone (see {@link ExplainCommand}).
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
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(query)) {
            if (!rs.next()) {
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
     * Runs the dialect's EXPLAIN of {@code sql} and returns its raw output for {@link PlanParser#parse}: the
     * single value of its single row, or for several rows their values joined by new lines.
     *
     * @param syntax how the connection's session reads text ({@link #sessionSyntax}), {@code null} when unknown
     * @param binds  the statement's bind values in order, set with {@code setObject}; empty when it has none
     * @throws IllegalArgumentException when {@link ExplainCommand#notExplainable(Dialect, SqlSyntax, String)}
     *                                  gives a reason
     * @throws SQLException             from the driver, timeouts included; the connection is left as found
     *                                  (transaction rolled back, auto-commit restored)
     */
    public static String explain(Connection connection, Dialect dialect, SqlSyntax syntax, String sql, List<?> binds,
                                 ExplainTimeouts timeouts) throws SQLException {
        ExplainCommand command = ExplainCommand.of(dialect, syntax, sql, timeouts);
        if (!command.readOnlyTransaction()) {
            return run(connection, command, binds);
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            return run(connection, command, binds);
        } finally {
            try {
                connection.rollback();
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private static String run(Connection connection, ExplainCommand command, List<?> binds) throws SQLException {
        try (Statement setup = connection.createStatement()) {
            for (String s : command.setup()) {
                setup.execute(s);
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(command.explainSql())) {
            ps.setQueryTimeout(command.queryTimeoutSeconds());
            for (int i = 0; i < binds.size(); i++) {
                ps.setObject(i + 1, binds.get(i));
            }
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
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
     * table, a view, a PostgreSQL table never analysed). The sampler should cache it per table.
     *
     * @param schema the schema as the plan named it, or {@code null} for the connection's current schema
     */
    public static long tableRows(Connection connection, Dialect dialect, String schema, String table)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(dialect.tableRowsSql())) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return -1;
                }
                long rows = rs.getLong(1);
                return rs.wasNull() || rows < 0 ? -1 : rows;
            }
        }
    }
}
