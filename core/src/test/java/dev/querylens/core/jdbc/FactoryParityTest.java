package dev.querylens.core.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.testing.TestDatabases;
import net.ttddyy.dsproxy.proxy.JdbcProxyFactory;
import net.ttddyy.dsproxy.proxy.NanoTimeStopwatchFactory;
import net.ttddyy.dsproxy.proxy.ProxyConfig;
import net.ttddyy.dsproxy.proxy.jdk.JdkJdbcProxyFactory;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same JDBC script, against a real database, through datasource-proxy's {@link JdkJdbcProxyFactory} and
 * through {@link DelegatingJdbcProxyFactory}: the application sees the same results, and a recording listener sees
 * the same calls with the same {@code ExecutionInfo} and {@code QueryInfo} contents (SQL, parameters, batch rows,
 * methods and arguments, statement types, connection ids and isolation levels, results and failures, custom
 * values) and the same value hashes, which the wrappers also computed as the values were set.
 */
class FactoryParityTest {

    @Test
    void anH2ScriptLooksTheSameToListenersThroughBothFactories() throws Exception {
        List<Run> runs = new ArrayList<>();
        for (JdbcProxyFactory factory : List.of(new JdkJdbcProxyFactory(), DelegatingJdbcProxyFactory.INSTANCE)) {
            try (HikariDataSource pool = TestDatabases.h2()) {
                RecordingListener listener = new RecordingListener();
                List<Object> results = h2Script(dataSource(pool, factory, listener));
                runs.add(new Run(results, listener));
            }
        }
        assertSameRuns(runs);
        // the script did what it says: generated keys, both batch kinds, paging, a failure, a callable statement
        String calls = String.join("\n", runs.get(1).listener.calls);
        assertTrue(calls.contains("batch=true/2") && calls.contains("batch=true/3"), calls);
        assertTrue(calls.contains("success=false thrown=org.h2.jdbc.JdbcSQLSyntaxErrorException"), calls);
        assertTrue(calls.contains("type=CALLABLE"), calls);
        assertTrue(runs.get(1).results.contains("first-key=1"), runs.get(1).results.toString());
    }

    @Test
    void aMariadbProcedureWithNamedAndOutParametersLooksTheSameThroughBothFactories() throws Exception {
        try (HikariDataSource pool = TestDatabases.mariadb(2)) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("drop procedure if exists qlw_parity");
                s.execute("create procedure qlw_parity(in a int, inout b int, out c varchar(20)) "
                        + "begin set b = a * 2 + b; set c = concat('n', a); end");
            }
            List<Run> runs = new ArrayList<>();
            for (JdbcProxyFactory factory : List.of(new JdkJdbcProxyFactory(), DelegatingJdbcProxyFactory.INSTANCE)) {
                RecordingListener listener = new RecordingListener();
                List<Object> results = new ArrayList<>();
                try (Connection c = dataSource(pool, factory, listener).getConnection();
                     CallableStatement cs = c.prepareCall("{call qlw_parity(?, ?, ?)}")) {
                    cs.setInt("a", 5);
                    cs.setInt("b", 1);
                    cs.registerOutParameter("b", Types.INTEGER);
                    cs.registerOutParameter(3, Types.VARCHAR);
                    cs.execute();
                    results.add(cs.getInt("b"));
                    results.add(cs.getString(3));
                    cs.setInt(1, 7);
                    cs.setInt(2, 0);
                    cs.execute();
                    results.add(cs.getInt(2));
                    results.add(cs.getString("c"));
                }
                runs.add(new Run(results, listener));
            }
            assertSameRuns(runs);
            assertEquals(List.of(11, "n5", 14, "n7"), runs.get(1).results);
            String calls = String.join("\n", runs.get(1).listener.calls);
            assertTrue(calls.contains("registerOutParameter(java.lang.String,int)"), calls);
        }
    }

    private record Run(List<Object> results, RecordingListener listener) {
    }

    private static void assertSameRuns(List<Run> runs) {
        Run jdk = runs.get(0);
        Run ours = runs.get(1);
        assertEquals(jdk.results, ours.results, "what the application sees");
        assertEquals(List.of(), ours.listener.hashMismatches, "hashes computed as values were set");
        assertEquals(jdk.listener.calls.size(), ours.listener.calls.size(), String.join("\n", ours.listener.calls));
        for (int i = 0; i < jdk.listener.calls.size(); i++) {
            assertEquals(jdk.listener.calls.get(i), ours.listener.calls.get(i), "listener call " + i);
        }
        assertEquals(jdk.listener.hashes, ours.listener.hashes, "Querylens's value hashes");
    }

    /** datasource-proxy's DataSource proxy over the pool, its connections and statements made by {@code factory}. */
    static DataSource dataSource(DataSource pool, JdbcProxyFactory factory, RecordingListener listener) {
        ProxyConfig config = ProxyConfig.Builder.create()
                .dataSourceName("parity")
                .queryListener(listener)
                .stopwatchFactory(new NanoTimeStopwatchFactory())
                .jdbcProxyFactory(factory)
                .build();
        return JdbcProxyFactory.DEFAULT.createDataSource(pool, config);
    }

    private static List<Object> h2Script(DataSource ds) throws SQLException {
        List<Object> out = new ArrayList<>();
        Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        utc.setTimeInMillis(0); // printed in the listener calls of both runs
        Timestamp noon = Timestamp.valueOf("2026-01-02 12:00:00");
        try (Connection c = ds.getConnection()) {
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            try (Statement s = c.createStatement()) {
                s.execute("create table item (id int auto_increment primary key, name varchar(40), price decimal(10,2), "
                        + "at timestamp, data varbinary(10), flag boolean, ratio double, small smallint, tiny tinyint, "
                        + "f real, big bigint, d date)");
                out.add(s.executeUpdate("insert into item (name) values ('first')", Statement.RETURN_GENERATED_KEYS));
                try (ResultSet keys = s.getGeneratedKeys()) {
                    keys.next();
                    out.add("first-key=" + keys.getInt(1));
                }
                s.addBatch("insert into item (name) values ('b1')");
                s.addBatch("insert into item (name) values ('b2')");
                out.add(Arrays.toString(s.executeBatch()));
                out.add(s.executeLargeUpdate("update item set flag = true where id = 1"));
                try {
                    s.executeQuery("select nonsense from nowhere");
                } catch (SQLException e) {
                    out.add(e.getSQLState());
                }
            }
            try (PreparedStatement ps = c.prepareStatement("insert into item (name, price, at, data, flag, ratio, small, "
                    + "tiny, f, big, d) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, "x");
                ps.setBigDecimal(2, new BigDecimal("1.50"));
                ps.setTimestamp(3, noon, utc);
                ps.setBytes(4, new byte[]{1, 2, 3});
                ps.setBoolean(5, true);
                ps.setDouble(6, 0.25);
                ps.setShort(7, (short) 3);
                ps.setByte(8, (byte) 4);
                ps.setFloat(9, 1.5f);
                ps.setLong(10, 1L << 40);
                ps.setDate(11, java.sql.Date.valueOf("2026-01-02"));
                out.add(ps.executeUpdate());
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    out.add("key=" + keys.getInt(1));
                }
                ps.clearParameters();
                for (int row = 0; row < 3; row++) {
                    ps.setString(1, "row" + row);
                    ps.setNull(2, Types.DECIMAL);
                    ps.setObject(3, noon);
                    ps.setNull(4, Types.VARBINARY);
                    ps.setObject(5, row % 2 == 0, Types.BOOLEAN);
                    ps.setObject(6, 2.0 + row);
                    ps.setInt(7, 1);
                    ps.setInt(7, row);
                    ps.setObject(8, 1, Types.TINYINT);
                    ps.setNull(9, Types.REAL);
                    ps.setNull(10, Types.BIGINT, "BIGINT");
                    ps.setNull(11, Types.DATE);
                    ps.addBatch();
                }
                out.add(Arrays.toString(ps.executeBatch()));
                // a second batch on the same statement (its rows reuse the first batch's slots), one row cleared
                ps.setString(1, "dropped");
                ps.addBatch();
                ps.clearBatch();
                for (int row = 3; row < 5; row++) {
                    ps.setString(1, "row" + row);
                    ps.setLong(10, row);
                    ps.addBatch();
                }
                out.add(Arrays.toString(ps.executeBatch()));
            }
            try (PreparedStatement ps = c.prepareStatement("select name from item where id = ?")) {
                for (int id = 1; id <= 3; id++) {
                    ps.setInt(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        out.add(rs.getString(1));
                    }
                }
                ps.setInt(1, 1);
                out.add(ps.execute());
            }
            try (PreparedStatement ps = c.prepareStatement("select id from item order by id limit ? offset ?")) {
                for (int offset = 0; offset < 4; offset += 2) {
                    ps.setInt(1, 2);
                    ps.setInt(2, offset);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(rs.getInt(1));
                        }
                    }
                }
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("update item set name = ? where id = ?")) {
                ps.setString(1, "z");
                ps.setLong(2, 1);
                out.add(ps.executeLargeUpdate());
            }
            c.rollback();
            c.setAutoCommit(true);
            try (CallableStatement cs = c.prepareCall("call abs(?)")) {
                cs.setInt(1, -5);
                try (ResultSet rs = cs.executeQuery()) {
                    rs.next();
                    out.add(rs.getInt(1));
                }
            }
        }
        return out;
    }
}
