package dev.querylens.core.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.testing.TestDatabases;
import net.ttddyy.dsproxy.ConnectionIdManager;
import net.ttddyy.dsproxy.ConnectionInfo;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.MethodExecutionContext;
import net.ttddyy.dsproxy.listener.MethodExecutionListener;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.proxy.DefaultConnectionIdManager;
import net.ttddyy.dsproxy.proxy.JdbcProxyFactory;
import net.ttddyy.dsproxy.proxy.ProxyConfig;
import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;
import net.ttddyy.dsproxy.proxy.SimpleResultSetProxyLogicFactory;
import net.ttddyy.dsproxy.proxy.Stopwatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The delegating wrappers against real databases: what an application relies on, and when they step aside. */
class DelegatingWrappersTest {

    private HikariDataSource pool;
    private final List<String> executed = new ArrayList<>();
    private final QueryExecutionListener recorder = new QueryExecutionListener() {
        @Override
        public void beforeQuery(ExecutionInfo execution, List<QueryInfo> queries) {
        }

        @Override
        public void afterQuery(ExecutionInfo execution, List<QueryInfo> queries) {
            queries.forEach(q -> executed.add(q.getQuery()));
        }
    };

    @BeforeEach
    void setUp() throws SQLException {
        pool = TestDatabases.h2();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table item (id int auto_increment primary key, name varchar(20))");
            s.execute("insert into item (name) values ('one'), ('two')");
        }
    }

    @AfterEach
    void tearDown() {
        pool.close();
    }

    private DataSource wrapped(UnaryOperator<ProxyConfig.Builder> settings) {
        ProxyConfig config = settings.apply(ProxyConfig.Builder.create()
                .queryListener(recorder)
                .jdbcProxyFactory(DelegatingJdbcProxyFactory.INSTANCE)).build();
        return JdbcProxyFactory.DEFAULT.createDataSource(pool, config);
    }

    @Test
    void unwrapAndIsWrapperForReachTheDriversObjects() throws SQLException {
        try (Connection c = wrapped(b -> b).getConnection()) {
            assertTrue(c instanceof ProxyJdbcObject);
            assertTrue(c.isWrapperFor(org.h2.jdbc.JdbcConnection.class));
            assertTrue(c.unwrap(org.h2.jdbc.JdbcConnection.class) instanceof org.h2.jdbc.JdbcConnection);
            // as datasource-proxy's proxies: the question goes to the wrapped object
            assertFalse(c.isWrapperFor(ProxyJdbcObject.class));
            Connection pooled = (Connection) ((ProxyJdbcObject) c).getTarget();
            assertSame(pooled.unwrap(Connection.class), c.unwrap(Connection.class));
            try (PreparedStatement ps = c.prepareStatement("select name from item where id = ?")) {
                assertTrue(ps.isWrapperFor(org.h2.jdbc.JdbcPreparedStatement.class));
                assertTrue(ps.unwrap(org.h2.jdbc.JdbcPreparedStatement.class) instanceof org.h2.jdbc.JdbcPreparedStatement);
                PreparedStatement pooledStatement = (PreparedStatement) ((ProxyJdbcObject) ps).getTarget();
                assertSame(pooledStatement.unwrap(PreparedStatement.class), ps.unwrap(PreparedStatement.class));
            }
        }
    }

    @Test
    void everyStatementKnowsTheWrappedConnection() throws SQLException {
        try (Connection c = wrapped(b -> b).getConnection();
             Statement s = c.createStatement();
             PreparedStatement ps = c.prepareStatement("select 1");
             CallableStatement cs = c.prepareCall("call abs(-1)")) {
            assertSame(c, s.getConnection());
            assertSame(c, ps.getConnection());
            assertSame(c, cs.getConnection());
        }
    }

    @Test
    void generatedKeysByFlagByIndexAndByName() throws SQLException {
        try (Connection c = wrapped(b -> b).getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("insert into item (name) values (?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, "three");
                assertEquals(1, ps.executeUpdate());
                assertEquals(3, key(ps));
            }
            try (PreparedStatement ps = c.prepareStatement("insert into item (name) values (?)", new String[]{"ID"})) {
                ps.setString(1, "four");
                ps.executeUpdate();
                assertEquals(4, key(ps));
            }
            try (PreparedStatement ps = c.prepareStatement("insert into item (name) values (?)", new int[]{1})) {
                ps.setString(1, "five");
                ps.executeUpdate();
                assertEquals(5, key(ps));
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("insert into item (name) values ('six')", Statement.RETURN_GENERATED_KEYS);
                assertEquals(6, key(s));
                s.execute("insert into item (name) values ('seven')", new String[]{"ID"});
                assertEquals(7, key(s));
            }
        }
        assertEquals(5, executed.size());
    }

    private static int key(Statement s) throws SQLException {
        try (ResultSet keys = s.getGeneratedKeys()) {
            assertTrue(keys.next());
            return keys.getInt(1);
        }
    }

    @Test
    void batchesOfBothKindsRunAndAreSeenOnce() throws SQLException {
        try (Connection c = wrapped(b -> b).getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("insert into item (name) values (?)")) {
                for (String name : List.of("a", "b", "c")) {
                    ps.setString(1, name);
                    ps.addBatch();
                }
                assertEquals(3, ps.executeBatch().length);
                ps.setString(1, "d");
                ps.addBatch();
                ps.clearBatch();
                assertEquals(0, ps.executeBatch().length);
            }
            try (Statement s = c.createStatement()) {
                s.addBatch("insert into item (name) values ('e')");
                s.addBatch("delete from item where name = 'a'");
                assertEquals(2, s.executeLargeBatch().length);
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from item")) {
                rs.next();
                assertEquals(5, rs.getInt(1));
            }
        }
        assertEquals(List.of("insert into item (name) values (?)", "insert into item (name) values (?)",
                "insert into item (name) values ('e')", "delete from item where name = 'a'", "select count(*) from item"),
                executed);
    }

    @Test
    void closeOnCompletionClosesTheStatementWithItsResultSet() throws SQLException {
        try (Connection c = wrapped(b -> b).getConnection()) {
            PreparedStatement ps = c.prepareStatement("select name from item where id = ?");
            ps.closeOnCompletion();
            assertTrue(ps.isCloseOnCompletion());
            ps.setInt(1, 1);
            ResultSet rs = ps.executeQuery();
            assertTrue(rs.next());
            assertEquals("one", rs.getString(1));
            assertFalse(ps.isClosed());
            rs.close();
            assertTrue(ps.isClosed());
        }
    }

    @Test
    void connectionInfoFollowsTheConnectionAsDatasourceProxysDoes() throws SQLException {
        Set<String> closedIds = ConcurrentHashMap.newKeySet();
        ConnectionIdManager ids = new DefaultConnectionIdManager() {
            @Override
            public void addClosedId(String closedId) {
                closedIds.add(closedId);
            }
        };
        ProxyConfig config = ProxyConfig.Builder.create().queryListener(recorder).connectionIdManager(ids)
                .jdbcProxyFactory(DelegatingJdbcProxyFactory.INSTANCE).build();
        ConnectionInfo info = new ConnectionInfo();
        info.setConnectionId("c1");
        Connection c = DelegatingJdbcProxyFactory.INSTANCE.createConnection(pool.getConnection(), info, config);
        c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        c.setAutoCommit(false);
        c.commit();
        c.rollback();
        c.rollback(c.setSavepoint());
        c.close();
        assertEquals(Connection.TRANSACTION_SERIALIZABLE, info.getIsolationLevel());
        assertEquals(1, info.getCommitCount());
        assertEquals(2, info.getRollbackCount());
        assertTrue(info.isClosed());
        assertEquals(Set.of("c1"), closedIds);
    }

    @Test
    void aListenerThatRunsSqlOnTheSameConnectionGetsArgumentsOfItsOwn() throws SQLException {
        List<String> seen = new ArrayList<>();
        Connection[] current = new Connection[1];
        QueryExecutionListener reentrant = new QueryExecutionListener() {
            @Override
            public void beforeQuery(ExecutionInfo execution, List<QueryInfo> queries) {
            }

            @Override
            public void afterQuery(ExecutionInfo execution, List<QueryInfo> queries) {
                String sql = queries.get(0).getQuery();
                if (sql.startsWith("select name")) {
                    try (Statement nested = current[0].createStatement(); ResultSet rs = nested.executeQuery("select 42")) {
                        rs.next();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
                // read after the nested execution: still this execution's arguments
                StringBuilder params = new StringBuilder();
                queries.get(0).getParametersList().forEach(ops -> ops.forEach(
                        op -> params.append(op.getMethod().getName()).append(java.util.Arrays.toString(op.getArgs()))));
                seen.add(queries.get(0).getQuery() + " " + execution.getMethod().getName() + " " + params);
            }
        };
        DataSource ds = wrapped(b -> b.queryListener(reentrant));
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("select name from item where id = ?")) {
            current[0] = c;
            ps.setInt(1, 2);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals("two", rs.getString(1));
            }
        }
        assertEquals(2, seen.size());
        assertEquals("select 42 executeQuery ", seen.get(0));
        assertEquals("select name from item where id = ? executeQuery setInt[1, 2]", seen.get(1));
    }

    @Test
    void configurationsTheWrappersDoNotServeGetDatasourceProxysOwnProxies() throws SQLException {
        MethodExecutionListener methods = new MethodExecutionListener() {
            @Override
            public void beforeMethod(MethodExecutionContext context) {
            }

            @Override
            public void afterMethod(MethodExecutionContext context) {
            }
        };
        List<UnaryOperator<ProxyConfig.Builder>> needsTheJdkProxies = List.of(
                b -> b.methodListener(methods),
                b -> b.queryTransformer(info -> info.getQuery()),
                b -> b.parameterTransformer((replacer, info) -> {
                }),
                b -> b.resultSetProxyLogicFactory(new SimpleResultSetProxyLogicFactory()),
                b -> b.generatedKeysProxyLogicFactory(new SimpleResultSetProxyLogicFactory()),
                b -> b.autoRetrieveGeneratedKeys(true),
                b -> b.stopwatchFactory(() -> new Stopwatch() {
                    @Override
                    public Stopwatch start() {
                        return this;
                    }

                    @Override
                    public long getElapsedTime() {
                        return 0;
                    }
                }));
        for (UnaryOperator<ProxyConfig.Builder> settings : needsTheJdkProxies) {
            executed.clear();
            try (Connection c = wrapped(settings).getConnection();
                 PreparedStatement ps = c.prepareStatement("select name from item where id = ?");
                 Statement s = c.createStatement()) {
                assertTrue(Proxy.isProxyClass(c.getClass()), c.getClass().getName());
                assertTrue(Proxy.isProxyClass(ps.getClass()));
                assertTrue(Proxy.isProxyClass(s.getClass()));
                ps.setInt(1, 1);
                ps.executeQuery().close();
            }
            assertEquals(List.of("select name from item where id = ?"), executed);
        }
        try (Connection c = wrapped(b -> b).getConnection()) {
            assertFalse(Proxy.isProxyClass(c.getClass()));
            assertTrue(DelegatingJdbcProxyFactory.isWrapper(c));
        }
    }

    @Test
    void aValueWhoseHashCodeThrowsIsStillBoundAndExecuted() throws SQLException {
        List<String> received = new ArrayList<>();
        ProxyConfig config = ProxyConfig.Builder.create().queryListener(recorder)
                .jdbcProxyFactory(DelegatingJdbcProxyFactory.INSTANCE).build();
        Connection c = DelegatingJdbcProxyFactory.INSTANCE.createConnection(
                DriverStandIn.of(Connection.class, received), new ConnectionInfo(), config);
        PreparedStatement ps = c.prepareStatement("select ?");
        Number hostile = new Number() {
            @Override
            public int intValue() {
                return 0;
            }

            @Override
            public long longValue() {
                return 0;
            }

            @Override
            public float floatValue() {
                return 0;
            }

            @Override
            public double doubleValue() {
                return 0;
            }

            @Override
            public int hashCode() {
                throw new IllegalStateException("no hash");
            }

            @Override
            public String toString() {
                return "hostile";
            }
        };
        ps.setObject(1, hostile);
        ps.execute();
        assertNotNull(received.stream().filter(r -> r.startsWith("setObject")).findFirst().orElse(null));
        assertEquals(List.of("select ?"), executed);
    }
}
