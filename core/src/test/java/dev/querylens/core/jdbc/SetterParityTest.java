package dev.querylens.core.jdbc;

import net.ttddyy.dsproxy.ConnectionInfo;
import net.ttddyy.dsproxy.proxy.JdbcProxyFactory;
import net.ttddyy.dsproxy.proxy.ProxyConfig;
import net.ttddyy.dsproxy.proxy.jdk.JdkJdbcProxyFactory;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every parameter-setting method of {@code PreparedStatement} and {@code CallableStatement} (each overload, by
 * index and by name, {@code registerOutParameter} included) is recorded by the delegating wrappers exactly as
 * datasource-proxy's own proxies record it (same {@code Method}, same arguments, boxed the same way), and the
 * hash computed when the value was set equals the hash of the recorded operation. Each setter runs through both
 * factories against a driver stand-in, followed by an {@code execute()}; the listener calls are compared.
 */
class SetterParityTest {

    @Test
    void everyPreparedStatementSetterIsRecordedAsDatasourceProxyRecordsIt() throws Exception {
        compareEverySetter(PreparedStatement.class);
    }

    @Test
    void everyCallableStatementSetterIsRecordedAsDatasourceProxyRecordsIt() throws Exception {
        compareEverySetter(CallableStatement.class);
    }

    @Test
    void theLastValuePerParameterWinsAndClearingStartsAfresh() throws Exception {
        List<List<String>> runs = new ArrayList<>();
        for (JdbcProxyFactory factory : List.of(new JdkJdbcProxyFactory(), DelegatingJdbcProxyFactory.INSTANCE)) {
            RecordingListener listener = new RecordingListener();
            Connection c = connection(factory, listener);
            CallableStatement cs = c.prepareCall("{call p(?, ?, ?)}");
            cs.setInt(2, 7);
            cs.setString(1, "a");
            cs.setInt(2, 8);
            cs.setLong("named", 5L);
            cs.registerOutParameter(3, java.sql.Types.INTEGER);
            cs.setLong("named", 6L);
            cs.execute();
            cs.clearParameters();
            cs.setDouble(1, 1.25);
            cs.executeQuery();
            cs.setNull(1, java.sql.Types.VARCHAR);
            cs.addBatch();
            cs.setFloat(2, 2.5f);
            cs.addBatch();
            cs.executeBatch();
            cs.close();
            assertEquals(List.of(), listener.hashMismatches);
            runs.add(listener.calls);
        }
        assertEquals(runs.get(0), runs.get(1));
        assertTrue(runs.get(0).get(1).contains("setInt") && runs.get(0).get(1).contains("[2, 8]"), runs.get(0).get(1));
    }

    private void compareEverySetter(Class<? extends PreparedStatement> type) throws Exception {
        List<Method> setters = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if ((m.getName().startsWith("set") || m.getName().equals("registerOutParameter"))
                    && m.getParameterCount() >= 2
                    && (m.getParameterTypes()[0] == int.class || m.getParameterTypes()[0] == String.class)
                    && m.getDeclaringClass() != java.sql.Statement.class) {
                setters.add(m);
            }
        }
        setters.sort(Comparator.comparing(Method::toString));
        List<List<String>> runs = new ArrayList<>();
        List<List<Long>> hashes = new ArrayList<>();
        for (JdbcProxyFactory factory : List.of(new JdkJdbcProxyFactory(), DelegatingJdbcProxyFactory.INSTANCE)) {
            RecordingListener listener = new RecordingListener();
            Connection c = connection(factory, listener);
            for (Method m : setters) {
                PreparedStatement ps = type == CallableStatement.class ? c.prepareCall("{call p(?)}")
                        : c.prepareStatement("select ?");
                m.invoke(ps, DriverStandIn.sampleArguments(m.getParameterTypes()));
                // the same parameter set twice: the second call wins
                Object[] again = DriverStandIn.sampleArguments(m.getParameterTypes());
                m.invoke(ps, again);
                ps.execute();
                ps.close();
            }
            assertEquals(List.of(), listener.hashMismatches, "hashes computed as values were set");
            runs.add(listener.calls);
            hashes.add(listener.hashes);
        }
        assertEquals(setters.size() * 2, runs.get(1).size());
        for (int i = 0; i < runs.get(0).size(); i++) {
            assertEquals(runs.get(0).get(i), runs.get(1).get(i), "setter " + setters.get(i / 2));
        }
        assertEquals(hashes.get(0), hashes.get(1));
        // every overload of java.sql (17 to 25), and each is one of the wrappers' setters
        assertEquals(type == PreparedStatement.class ? 50 : Setter.values().length, setters.size());
    }

    private static Connection connection(JdbcProxyFactory factory, RecordingListener listener) {
        ProxyConfig config = ProxyConfig.Builder.create().jdbcProxyFactory(factory).queryListener(listener).build();
        ConnectionInfo info = new ConnectionInfo();
        info.setDataSourceName("stand-in");
        info.setConnectionId("1");
        return factory.createConnection(DriverStandIn.of(Connection.class, new ArrayList<>()), info, config);
    }
}
