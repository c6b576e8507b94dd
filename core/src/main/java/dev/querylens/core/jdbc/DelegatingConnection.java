package dev.querylens.core.jdbc;

import net.ttddyy.dsproxy.ConnectionInfo;
import net.ttddyy.dsproxy.proxy.ProxyConfig;
import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;
import net.ttddyy.dsproxy.proxy.SystemStopwatchFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A {@link Connection} that hands every call to the driver's (or pool's) connection and wraps the statements it
 * creates through the configuration's {@link net.ttddyy.dsproxy.proxy.JdbcProxyFactory}; it keeps
 * {@link ConnectionInfo} up to date as datasource-proxy's connection proxy does (isolation level, commit and
 * rollback counts, closing). It also keeps, for its statements, one set of listener arguments and one set of
 * parameter slots, reused from one statement to the next.
 */
final class DelegatingConnection implements Connection, ProxyJdbcObject {

    private static final VarHandle SPARE_BINDS;

    static {
        try {
            SPARE_BINDS = MethodHandles.lookup().findVarHandle(DelegatingConnection.class, "spareBinds",
                    BindValues.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Connection delegate;
    final ConnectionInfo info;
    final ProxyConfig config;
    /** datasource-proxy's default stopwatch counts milliseconds; {@code NanoTimeStopwatchFactory} nanoseconds. */
    final boolean elapsedInMillis;
    private Execution execution;
    /** Parameter slots of past batch rows, for the next batch's rows; made on the first batch. */
    private RowPool rows;
    @SuppressWarnings("unused") // through SPARE_BINDS
    private volatile BindValues spareBinds;

    DelegatingConnection(Connection delegate, ConnectionInfo info, ProxyConfig config) {
        this.delegate = delegate;
        this.info = info;
        this.config = config;
        this.elapsedInMillis = config.getStopwatchFactory() instanceof SystemStopwatchFactory;
    }

    /** Listener arguments for one execution: the connection's own when free, otherwise a new one. */
    Execution acquireExecution() {
        Execution e = execution;
        if (e == null) {
            e = new Execution();
            execution = e;
        }
        return e.tryAcquire() ? e : new Execution();
    }

    /** Parameter slots for a new statement: the ones the last closed statement gave back, or new ones. */
    BindValues takeBinds() {
        BindValues b = (BindValues) SPARE_BINDS.getAndSet(this, null);
        return b == null ? new BindValues() : b;
    }

    /** A closed statement's parameter slots, kept for the next statement unless they grew large. */
    void giveBackBinds(BindValues binds) {
        if (binds.capacity() <= BindValues.MAX_REUSED_CAPACITY) {
            binds.clear();
            SPARE_BINDS.setRelease(this, binds);
        }
    }

    /** Parameter slots for a new batch row. */
    BindValues takeRow() {
        RowPool pool = rows;
        if (pool == null) {
            pool = new RowPool();
            rows = pool;
        }
        return pool.take();
    }

    /** Batch rows that no listener reads any more, kept (up to a bound) for the next batch's rows. */
    void giveBackRows(List<BindValues> done) {
        RowPool pool = rows;
        if (pool != null) {
            pool.giveBack(done);
        }
    }

    /**
     * At most {@value #MAX_SPARE_ROWS} spare rows per connection: a batch loop adds and executes rows without
     * allocating once the first batch has run. Its own monitor, never the connection's: applications lock
     * connections.
     */
    private static final class RowPool {
        static final int MAX_SPARE_ROWS = 64;
        private final BindValues[] spare = new BindValues[MAX_SPARE_ROWS];
        private int count;

        synchronized BindValues take() {
            if (count == 0) {
                return new BindValues();
            }
            BindValues b = spare[--count];
            spare[count] = null;
            return b;
        }

        synchronized void giveBack(List<BindValues> done) {
            for (int i = 0, n = done.size(); i < n && count < MAX_SPARE_ROWS; i++) {
                BindValues b = done.get(i);
                if (b.capacity() <= BindValues.MAX_REUSED_CAPACITY) {
                    b.clear();
                    spare[count++] = b;
                }
            }
        }
    }

    private void closed() {
        info.setClosed(true);
        config.getConnectionIdManager().addClosedId(info.getConnectionId());
    }

    @Override
    public Object getTarget() {
        return delegate;
    }

    @Override
    public ProxyConfig getProxyConfig() {
        return config;
    }

    @Override
    public boolean equals(Object other) {
        return delegate.equals(other) || other instanceof ProxyJdbcObject p && delegate.equals(p.getTarget());
    }

    @Override
    public int hashCode() {
        return delegate.hashCode();
    }

    @Override
    public String toString() {
        return delegate.getClass().getSimpleName() + " [" + delegate + "]";
    }

    @Override
    public Statement createStatement() throws SQLException {
        return config.getJdbcProxyFactory().createStatement(delegate.createStatement(), info, this, config);
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return config.getJdbcProxyFactory().createPreparedStatement(delegate.prepareStatement(sql), sql, info, this,
                config, false);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return config.getJdbcProxyFactory().createCallableStatement(delegate.prepareCall(sql), sql, info, this, config);
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        return delegate.nativeSQL(sql);
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        delegate.setAutoCommit(autoCommit);
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return delegate.getAutoCommit();
    }

    @Override
    public void commit() throws SQLException {
        delegate.commit();
        info.incrementCommitCount();
    }

    @Override
    public void rollback() throws SQLException {
        delegate.rollback();
        info.incrementRollbackCount();
    }

    @Override
    public void close() throws SQLException {
        delegate.close();
        closed();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return delegate.isClosed();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return delegate.getMetaData();
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        delegate.setReadOnly(readOnly);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return delegate.isReadOnly();
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        delegate.setCatalog(catalog);
        schemaChanged();
    }

    @Override
    public String getCatalog() throws SQLException {
        return delegate.getCatalog();
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        info.setIsolationLevel(level);
        delegate.setTransactionIsolation(level);
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return delegate.getTransactionIsolation();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return delegate.getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        delegate.clearWarnings();
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        return config.getJdbcProxyFactory().createStatement(delegate.createStatement(resultSetType,
                resultSetConcurrency), info, this, config);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType,
            int resultSetConcurrency) throws SQLException {
        return config.getJdbcProxyFactory().createPreparedStatement(delegate.prepareStatement(sql, resultSetType,
                resultSetConcurrency), sql, info, this, config, false);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        return config.getJdbcProxyFactory().createCallableStatement(delegate.prepareCall(sql, resultSetType,
                resultSetConcurrency), sql, info, this, config);
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return delegate.getTypeMap();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        delegate.setTypeMap(map);
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        delegate.setHoldability(holdability);
    }

    @Override
    public int getHoldability() throws SQLException {
        return delegate.getHoldability();
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return delegate.setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        return delegate.setSavepoint(name);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        delegate.rollback(savepoint);
        info.incrementRollbackCount();
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        delegate.releaseSavepoint(savepoint);
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        return config.getJdbcProxyFactory().createStatement(delegate.createStatement(resultSetType,
                resultSetConcurrency, resultSetHoldability), info, this, config);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        return config.getJdbcProxyFactory().createPreparedStatement(delegate.prepareStatement(sql, resultSetType,
                resultSetConcurrency, resultSetHoldability), sql, info, this, config, false);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        return config.getJdbcProxyFactory().createCallableStatement(delegate.prepareCall(sql, resultSetType,
                resultSetConcurrency, resultSetHoldability), sql, info, this, config);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return config.getJdbcProxyFactory().createPreparedStatement(delegate.prepareStatement(sql,
                autoGeneratedKeys), sql, info, this, config,
                autoGeneratedKeys == Statement.RETURN_GENERATED_KEYS);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return config.getJdbcProxyFactory().createPreparedStatement(delegate.prepareStatement(sql, columnIndexes),
                sql, info, this, config,
                columnIndexes != null && columnIndexes.length != 0);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return config.getJdbcProxyFactory().createPreparedStatement(delegate.prepareStatement(sql, columnNames), sql,
                info, this, config,
                columnNames != null && columnNames.length != 0);
    }

    @Override
    public Clob createClob() throws SQLException {
        return delegate.createClob();
    }

    @Override
    public Blob createBlob() throws SQLException {
        return delegate.createBlob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return delegate.createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return delegate.createSQLXML();
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        return delegate.isValid(timeout);
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        delegate.setClientInfo(name, value);
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        delegate.setClientInfo(properties);
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        return delegate.getClientInfo(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return delegate.getClientInfo();
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        Array array = delegate.createArrayOf(typeName, elements);
        for (Object listener : config.getQueryListener().getListeners()) {
            if (listener instanceof ConnectionEvents events) {
                events.arrayCreated(array, elements);
            }
        }
        return array;
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        return delegate.createStruct(typeName, attributes);
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        delegate.setSchema(schema);
        schemaChanged();
    }

    private void schemaChanged() {
        for (Object listener : config.getQueryListener().getListeners()) {
            if (listener instanceof ConnectionEvents events) {
                events.schemaChanged();
            }
        }
    }

    @Override
    public String getSchema() throws SQLException {
        return delegate.getSchema();
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        delegate.abort(executor);
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        delegate.setNetworkTimeout(executor, milliseconds);
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return delegate.getNetworkTimeout();
    }

    @Override
    public void beginRequest() throws SQLException {
        delegate.beginRequest();
    }

    @Override
    public void endRequest() throws SQLException {
        delegate.endRequest();
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey shardingKey, ShardingKey superShardingKey,
            int timeout) throws SQLException {
        return delegate.setShardingKeyIfValid(shardingKey, superShardingKey, timeout);
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey shardingKey, int timeout) throws SQLException {
        return delegate.setShardingKeyIfValid(shardingKey, timeout);
    }

    @Override
    public void setShardingKey(ShardingKey shardingKey, ShardingKey superShardingKey) throws SQLException {
        delegate.setShardingKey(shardingKey, superShardingKey);
    }

    @Override
    public void setShardingKey(ShardingKey shardingKey) throws SQLException {
        delegate.setShardingKey(shardingKey);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
