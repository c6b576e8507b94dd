package dev.querylens.core.jdbc;

import net.ttddyy.dsproxy.ConnectionInfo;
import net.ttddyy.dsproxy.proxy.ProxyConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every method of every {@code java.sql} interface the wrappers implement, JDBC 4.3 default methods included
 * ({@code beginRequest}, {@code enquoteLiteral}, {@code executeLargeUpdate}, {@code setObject(.., SQLType)}...),
 * reaches the wrapped object with the same arguments: each is called on a wrapper around a driver stand-in that
 * records what it receives (a stand-in, because no driver implements every method). A method a wrapper left to
 * the interface's default would not reach it. {@code Statement.getConnection()} is the one method answered by the
 * wrapper itself: it returns the wrapped connection.
 */
class DelegationCoverageTest {

    /** What the driver stand-in received, in order. */
    private final List<String> received = new ArrayList<>();

    @Test
    void everyConnectionMethodReachesTheDriver() throws Exception {
        Connection wrapper = connection();
        assertEveryMethodDelegates(Connection.class, wrapper);
    }

    @Test
    void everyStatementMethodReachesTheDriver() throws Exception {
        Connection connection = connection();
        assertEveryMethodDelegates(Statement.class, connection.createStatement());
    }

    @Test
    void everyPreparedStatementMethodReachesTheDriver() throws Exception {
        Connection connection = connection();
        assertEveryMethodDelegates(PreparedStatement.class, connection.prepareStatement("select ?"));
    }

    @Test
    void everyCallableStatementMethodReachesTheDriver() throws Exception {
        Connection connection = connection();
        assertEveryMethodDelegates(CallableStatement.class, connection.prepareCall("{call p(?)}"));
    }

    @Test
    void statementsAreWrappersOfTheirKindAndKnowTheirConnection() throws Exception {
        Connection connection = connection();
        assertTrue(connection instanceof DelegatingConnection);
        Statement s = connection.createStatement();
        PreparedStatement p = connection.prepareStatement("select ?");
        CallableStatement c = connection.prepareCall("{call p(?)}");
        assertEquals(DelegatingStatement.class, s.getClass());
        assertEquals(DelegatingPreparedStatement.class, p.getClass());
        assertEquals(DelegatingCallableStatement.class, c.getClass());
        for (Statement st : List.of(s, p, c)) {
            received.clear();
            assertSame(connection, st.getConnection());
            assertTrue(received.isEmpty(), "getConnection is answered by the wrapper: " + received);
        }
    }

    private Connection connection() {
        ProxyConfig config = ProxyConfig.Builder.create().jdbcProxyFactory(DelegatingJdbcProxyFactory.INSTANCE).build();
        ConnectionInfo info = new ConnectionInfo();
        info.setDataSourceName("stand-in");
        return DelegatingJdbcProxyFactory.INSTANCE.createConnection(DriverStandIn.of(Connection.class, received), info, config);
    }

    private void assertEveryMethodDelegates(Class<?> type, Object wrapper) throws Exception {
        List<Method> methods = new ArrayList<>(Arrays.asList(type.getMethods()));
        // close last: after it the wrapper stops recording parameters (the driver still gets every call)
        methods.sort((a, b) -> Boolean.compare(a.getName().equals("close"), b.getName().equals("close")));
        int checked = 0;
        for (Method m : methods) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            if (m.getName().equals("getConnection") && Statement.class.isAssignableFrom(type)) {
                continue;
            }
            Object[] args = DriverStandIn.sampleArguments(m.getParameterTypes());
            received.clear();
            m.invoke(wrapper, args);
            String expected = DriverStandIn.describe(m, args);
            if (!received.contains(expected)) {
                fail(type.getSimpleName() + "." + m.getName() + Arrays.toString(m.getParameterTypes())
                        + " did not reach the driver with its arguments; it received " + received);
            }
            checked++;
        }
        // the interface really was walked, default methods included
        assertTrue(checked > 50, "only " + checked + " methods");
        assertFalse(received.isEmpty());
    }
}
