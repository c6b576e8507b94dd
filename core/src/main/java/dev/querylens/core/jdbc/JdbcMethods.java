package dev.querylens.core.jdbc;

import java.lang.reflect.Method;
import java.sql.PreparedStatement;
import java.sql.Statement;

/** The execution methods' {@link Method}s, as datasource-proxy passes them to listeners in {@code ExecutionInfo}. */
final class JdbcMethods {

    static final Method EXECUTE_QUERY_SQL = method(Statement.class, "executeQuery", String.class);
    static final Method EXECUTE_UPDATE_SQL = method(Statement.class, "executeUpdate", String.class);
    static final Method EXECUTE_SQL = method(Statement.class, "execute", String.class);
    static final Method EXECUTE_BATCH = method(Statement.class, "executeBatch");
    static final Method EXECUTE_UPDATE_SQL_INT = method(Statement.class, "executeUpdate", String.class, int.class);
    static final Method EXECUTE_UPDATE_SQL_INTS = method(Statement.class, "executeUpdate", String.class, int[].class);
    static final Method EXECUTE_UPDATE_SQL_STRINGS = method(Statement.class, "executeUpdate", String.class,
            String[].class);
    static final Method EXECUTE_SQL_INT = method(Statement.class, "execute", String.class, int.class);
    static final Method EXECUTE_SQL_INTS = method(Statement.class, "execute", String.class, int[].class);
    static final Method EXECUTE_SQL_STRINGS = method(Statement.class, "execute", String.class, String[].class);
    static final Method EXECUTE_LARGE_BATCH = method(Statement.class, "executeLargeBatch");
    static final Method EXECUTE_LARGE_UPDATE_SQL = method(Statement.class, "executeLargeUpdate", String.class);
    static final Method EXECUTE_LARGE_UPDATE_SQL_INT = method(Statement.class, "executeLargeUpdate", String.class,
            int.class);
    static final Method EXECUTE_LARGE_UPDATE_SQL_INTS = method(Statement.class, "executeLargeUpdate", String.class,
            int[].class);
    static final Method EXECUTE_LARGE_UPDATE_SQL_STRINGS = method(Statement.class, "executeLargeUpdate",
            String.class, String[].class);
    static final Method EXECUTE_QUERY = method(PreparedStatement.class, "executeQuery");
    static final Method EXECUTE_UPDATE = method(PreparedStatement.class, "executeUpdate");
    static final Method EXECUTE = method(PreparedStatement.class, "execute");
    static final Method EXECUTE_LARGE_UPDATE = method(PreparedStatement.class, "executeLargeUpdate");

    private JdbcMethods() {
    }

    static Method method(Class<?> type, String name, Class<?>... parameterTypes) {
        try {
            return type.getMethod(name, parameterTypes);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("java.sql has no " + type.getName() + "." + name, e);
        }
    }
}
