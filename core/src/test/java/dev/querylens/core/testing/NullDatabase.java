package dev.querylens.core.testing;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * A database that accepts any SQL and answers at once: queries return no row, updates change one. For tests that
 * measure Querylens itself over millions of statements (retained memory, exact counts), where a real database's
 * own work (parsing a million distinct statements) would only make the run long; everything between the
 * application's JDBC call and the driver is Querylens's real code.
 */
public final class NullDatabase implements DataSource {

    private static final InvocationHandler RESULTS = (proxy, method, args) -> switch (method.getName()) {
        case "next", "wasNull", "isClosed" -> false;
        case "hashCode" -> System.identityHashCode(proxy);
        case "equals" -> proxy == args[0];
        case "toString" -> "no rows";
        default -> zero(method.getReturnType());
    };

    @Override
    public Connection getConnection() {
        return (Connection) Proxy.newProxyInstance(NullDatabase.class.getClassLoader(),
                new Class<?>[]{Connection.class}, handler());
    }

    private static InvocationHandler handler() {
        return (proxy, method, args) -> {
            String name = method.getName();
            Class<?> type = method.getReturnType();
            switch (name) {
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                case "toString":
                    return "null database " + method.getDeclaringClass().getSimpleName();
                case "executeUpdate":
                case "executeLargeUpdate":
                    return type == long.class ? (Object) 1L : (Object) 1;
                case "getAutoCommit":
                case "isValid":
                    return true;
                default:
                    break;
            }
            if (type == ResultSet.class) {
                return Proxy.newProxyInstance(NullDatabase.class.getClassLoader(), new Class<?>[]{ResultSet.class}, RESULTS);
            }
            if (type.isInterface() && type.getName().startsWith("java.sql.") && type != java.sql.Array.class
                    && type != java.sql.Blob.class && type != java.sql.Clob.class) {
                return Proxy.newProxyInstance(NullDatabase.class.getClassLoader(), new Class<?>[]{type}, handler());
            }
            return zero(type);
        };
    }

    private static Object zero(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == short.class) {
            return (short) 0;
        }
        if (type == byte.class) {
            return (byte) 0;
        }
        if (type == double.class) {
            return 0d;
        }
        if (type == float.class) {
            return 0f;
        }
        return null;
    }

    @Override
    public Connection getConnection(String username, String password) {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws java.sql.SQLException {
        throw new java.sql.SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
