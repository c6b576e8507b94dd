package dev.querylens.core.jdbc;

import net.ttddyy.dsproxy.ConnectionInfo;
import net.ttddyy.dsproxy.proxy.JdbcProxyFactory;
import net.ttddyy.dsproxy.proxy.NanoTimeStopwatchFactory;
import net.ttddyy.dsproxy.proxy.ProxyConfig;
import net.ttddyy.dsproxy.proxy.StopwatchFactory;
import net.ttddyy.dsproxy.proxy.SystemStopwatchFactory;
import net.ttddyy.dsproxy.proxy.jdk.JdkJdbcProxyFactory;
import net.ttddyy.dsproxy.transform.ParameterTransformer;
import net.ttddyy.dsproxy.transform.QueryTransformer;

import javax.sql.DataSource;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * datasource-proxy's {@link JdbcProxyFactory} with plain delegating classes instead of JDK proxies for
 * connections and statements: no reflection, no per-call context objects, parameters hashed into slots as they
 * are set and turned into datasource-proxy's records only when a listener asks ({@link BoundQueryInfo}), one set
 * of listener arguments per connection reused from execution to execution, two {@link System#nanoTime()} reads
 * per execution. Query listeners ({@code QueryExecutionListener}, {@code ChainListener}) are called as
 * datasource-proxy calls them, with real {@code ExecutionInfo} and {@code QueryInfo} arguments; those arguments
 * are valid during the call only.
 *
 * <p>A configuration that needs what the wrappers do not do gets datasource-proxy's own
 * {@link JdkJdbcProxyFactory}: method listeners, a query or parameter transformer, ResultSet or generated-keys
 * proxies, automatic retrieval of generated keys, a stopwatch other than datasource-proxy's two. The
 * {@code DataSource} proxy is always datasource-proxy's.
 */
public final class DelegatingJdbcProxyFactory implements JdbcProxyFactory {

    /** Stateless; one is enough. */
    public static final DelegatingJdbcProxyFactory INSTANCE = new DelegatingJdbcProxyFactory();

    private static final JdkJdbcProxyFactory JDK = new JdkJdbcProxyFactory();

    private DelegatingJdbcProxyFactory() {
    }

    /** True when connections and statements made with {@code config} get the delegating wrappers. */
    public static boolean supports(ProxyConfig config) {
        StopwatchFactory stopwatch = config.getStopwatchFactory();
        return config.getMethodListener().getListeners().isEmpty()
                && config.getQueryTransformer() == QueryTransformer.DEFAULT
                && config.getParameterTransformer() == ParameterTransformer.DEFAULT
                && !config.isResultSetProxyEnabled()
                && !config.isGeneratedKeysProxyEnabled()
                && !config.isAutoRetrieveGeneratedKeys()
                && (stopwatch instanceof NanoTimeStopwatchFactory || stopwatch instanceof SystemStopwatchFactory);
    }

    /** True when {@code connection} is one of this copy's wrappers. */
    public static boolean isWrapper(Connection connection) {
        return connection instanceof DelegatingConnection;
    }

    @Override
    public DataSource createDataSource(DataSource dataSource, ProxyConfig proxyConfig) {
        return JDK.createDataSource(dataSource, proxyConfig);
    }

    @Override
    public Connection createConnection(Connection connection, ConnectionInfo connectionInfo, ProxyConfig proxyConfig) {
        if (!supports(proxyConfig)) {
            return JDK.createConnection(connection, connectionInfo, proxyConfig);
        }
        return new DelegatingConnection(connection, connectionInfo, proxyConfig);
    }

    @Override
    public Statement createStatement(Statement statement, ConnectionInfo connectionInfo, Connection proxyConnection,
                                     ProxyConfig proxyConfig) {
        if (statement == null) {
            return null;
        }
        // a connection wrapper exists only for a configuration that supports(): its statements are wrapped alike
        if (!(proxyConnection instanceof DelegatingConnection c) || c.config != proxyConfig) {
            return JDK.createStatement(statement, connectionInfo, proxyConnection, proxyConfig);
        }
        return new DelegatingStatement<>(statement, c);
    }

    @Override
    public PreparedStatement createPreparedStatement(PreparedStatement preparedStatement, String query,
                                                     ConnectionInfo connectionInfo, Connection proxyConnection,
                                                     ProxyConfig proxyConfig, boolean generateKey) {
        if (preparedStatement == null) {
            return null;
        }
        if (!(proxyConnection instanceof DelegatingConnection c) || c.config != proxyConfig) {
            return JDK.createPreparedStatement(preparedStatement, query, connectionInfo, proxyConnection, proxyConfig,
                    generateKey);
        }
        return new DelegatingPreparedStatement<>(preparedStatement, query, c);
    }

    @Override
    public CallableStatement createCallableStatement(CallableStatement callableStatement, String query,
                                                     ConnectionInfo connectionInfo, Connection proxyConnection,
                                                     ProxyConfig proxyConfig) {
        if (callableStatement == null) {
            return null;
        }
        if (!(proxyConnection instanceof DelegatingConnection c) || c.config != proxyConfig) {
            return JDK.createCallableStatement(callableStatement, query, connectionInfo, proxyConnection, proxyConfig);
        }
        return new DelegatingCallableStatement(callableStatement, query, c);
    }

    @Override
    public ResultSet createResultSet(ResultSet resultSet, ConnectionInfo connectionInfo, ProxyConfig proxyConfig) {
        return JDK.createResultSet(resultSet, connectionInfo, proxyConfig);
    }

    @Override
    public ResultSet createGeneratedKeys(ResultSet resultSet, ConnectionInfo connectionInfo, ProxyConfig proxyConfig) {
        return JDK.createGeneratedKeys(resultSet, connectionInfo, proxyConfig);
    }
}
