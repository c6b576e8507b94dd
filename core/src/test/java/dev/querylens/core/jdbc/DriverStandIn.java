package dev.querylens.core.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

/**
 * A stand-in for a JDBC driver's objects that writes down every call it receives and answers with empty values:
 * no driver implements every {@code java.sql} method, and these tests are about what reaches the driver.
 */
final class DriverStandIn {

    private DriverStandIn() {
    }

    /** A driver object that records every call and answers with empty values (stand-ins for statements). */
    @SuppressWarnings("unchecked")
    static <T> T of(Class<T> type, List<String> received) {
        InvocationHandler handler = (proxy, method, args) -> {
            switch (method.getName()) {
                case "toString":
                    return type.getSimpleName() + " stand-in";
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    break;
            }
            received.add(describe(method, args));
            Class<?> r = method.getReturnType();
            if (r == Statement.class || r == PreparedStatement.class || r == CallableStatement.class) {
                return of(r, received);
            }
            return emptyValue(r);
        };
        return (T) Proxy.newProxyInstance(DriverStandIn.class.getClassLoader(), new Class<?>[]{type}, handler);
    }

    static String describe(Method m, Object[] args) {
        return m.getName() + Arrays.toString(m.getParameterTypes()) + Arrays.deepToString(args == null ? new Object[0] : args);
    }

    /** Distinct, recognisable arguments, so that a wrapper passing the wrong one is caught. */
    static Object[] sampleArguments(Class<?>[] types) {
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            int n = i + 1;
            if (t == int.class) {
                args[i] = 10 + n;
            } else if (t == long.class) {
                args[i] = 100L + n;
            } else if (t == short.class) {
                args[i] = (short) (20 + n);
            } else if (t == byte.class) {
                args[i] = (byte) (30 + n);
            } else if (t == boolean.class) {
                args[i] = n % 2 == 1;
            } else if (t == float.class) {
                args[i] = 1.5f + n;
            } else if (t == double.class) {
                args[i] = 2.5d + n;
            } else if (t == String.class) {
                args[i] = "arg" + n;
            } else if (t == int[].class) {
                args[i] = new int[]{n};
            } else if (t == String[].class) {
                args[i] = new String[]{"col" + n};
            } else if (t == byte[].class) {
                args[i] = new byte[]{(byte) n};
            } else if (t == Class.class) {
                args[i] = Object.class;
            } else if (t == java.sql.SQLType.class) {
                args[i] = java.sql.JDBCType.VARCHAR;
            } else if (t == Object.class) {
                args[i] = "object" + n;
            } else if (t == java.math.BigDecimal.class) {
                args[i] = java.math.BigDecimal.valueOf(n);
            } else if (t == java.sql.Date.class) {
                args[i] = new java.sql.Date(86_400_000L * n);
            } else if (t == java.sql.Time.class) {
                args[i] = new java.sql.Time(1_000L * n);
            } else if (t == java.sql.Timestamp.class) {
                args[i] = new java.sql.Timestamp(1_000_000L * n);
            } else {
                args[i] = null;
            }
        }
        return args;
    }

    private static Object emptyValue(Class<?> r) {
        if (r == boolean.class) {
            return false;
        }
        if (r == int.class) {
            return 0;
        }
        if (r == long.class) {
            return 0L;
        }
        if (r == short.class) {
            return (short) 0;
        }
        if (r == byte.class) {
            return (byte) 0;
        }
        if (r == float.class) {
            return 0f;
        }
        if (r == double.class) {
            return 0d;
        }
        if (r.isArray()) {
            return java.lang.reflect.Array.newInstance(r.getComponentType(), 0);
        }
        return null;
    }
}
