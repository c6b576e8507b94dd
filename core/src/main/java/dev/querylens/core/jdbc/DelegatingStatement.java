package dev.querylens.core.jdbc;

import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.proxy.ProxyConfig;
import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Statement} that hands every call to the driver's (or pool's) statement and calls the configuration's
 * query listeners around each execution, with the arguments datasource-proxy's statement proxy would pass:
 * {@code beforeQuery}, the execution timed with two {@link System#nanoTime()} reads, {@code afterQuery} (also when
 * the execution throws; what the driver throws reaches the caller unchanged). The base of the prepared and
 * callable wrappers, which change what an execution describes ({@link #describe}, {@link #describeBatch}).
 */
class DelegatingStatement<S extends Statement> implements Statement, ProxyJdbcObject {

    final S delegate;
    final DelegatingConnection connection;
    /** SQL added with {@code addBatch(String)} since the last batch execution. */
    private List<String> batchSql;

    DelegatingStatement(S delegate, DelegatingConnection connection) {
        this.delegate = delegate;
        this.connection = connection;
    }

    /** Starts an execution of SQL given to the call ({@code executeQuery(sql)}); returns its listener arguments. */
    final Execution begin(Method method, String sql) {
        Execution e = connection.acquireExecution();
        return start(e, method, e.arguments(sql), sql);
    }

    /** As {@link #begin(Method, String)}, for the overloads with a second argument (generated keys). */
    final Execution begin(Method method, String sql, Object second) {
        Execution e = connection.acquireExecution();
        return start(e, method, e.arguments(sql, second), sql);
    }

    private Execution start(Execution e, Method method, Object[] args, String sql) {
        describe(e, sql);
        e.start(connection.info, delegate, method, args, false, 0);
        return fireBefore(e);
    }

    /** Starts a batch execution ({@code executeBatch}, {@code executeLargeBatch}). */
    final Execution beginBatch(Method method) {
        Execution e = connection.acquireExecution();
        int size = describeBatch(e);
        e.start(connection.info, delegate, method, null, true, size);
        return fireBefore(e);
    }

    final Execution fireBefore(Execution e) {
        try {
            List<QueryExecutionListener> listeners = connection.config.getQueryListener().getListeners();
            for (int i = 0, n = listeners.size(); i < n; i++) {
                listeners.get(i).beforeQuery(e.info, e.queries);
            }
            return e;
        } catch (Throwable t) {
            e.release();
            throw t;
        }
    }

    /** Ends an execution: records how it went and calls {@code afterQuery}. */
    final void end(Execution e, long start, Object result, Throwable failure) {
        long elapsed = System.nanoTime() - start;
        try {
            ExecutionInfo info = e.info;
            info.setElapsedTime(connection.elapsedInMillis ? elapsed / 1_000_000 : elapsed);
            info.setSuccess(failure == null);
            info.setThrowable(failure);
            info.setResult(result);
            List<QueryExecutionListener> listeners = connection.config.getQueryListener().getListeners();
            for (int i = 0, n = listeners.size(); i < n; i++) {
                listeners.get(i).afterQuery(info, e.queries);
            }
        } finally {
            e.release();
        }
    }

    /** What a single execution ran: here the SQL given to the call, with no parameters. */
    void describe(Execution e, String sql) {
        e.query.reset(sql, null, null);
    }

    /** What a batch execution ran: here each SQL added with {@code addBatch(String)}. Returns the batch size. */
    int describeBatch(Execution e) {
        List<String> sqls = batchSql;
        batchSql = null;
        int size = sqls == null ? 0 : sqls.size();
        List<QueryInfo> queries = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            queries.add(new QueryInfo(sqls.get(i)));
        }
        e.queries = queries;
        return size;
    }

    /** {@code addBatch} succeeded; {@code sql} is null for a prepared statement's {@code addBatch()}. */
    void batchAdded(String sql) {
        if (batchSql == null) {
            batchSql = new ArrayList<>();
        }
        batchSql.add(sql);
    }

    void batchCleared() {
        batchSql = null;
    }

    /** {@code close} succeeded. */
    void closed() {
        batchSql = null;
    }

    @Override
    public Object getTarget() {
        return delegate;
    }

    @Override
    public ProxyConfig getProxyConfig() {
        return connection.config;
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
    public ResultSet executeQuery(String sql) throws SQLException {
        Execution execution = begin(JdbcMethods.EXECUTE_QUERY_SQL, sql);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            ResultSet r = delegate.executeQuery(sql);
            result = r;
            return r;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            end(execution, start, result, failure);
        }
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        Execution execution = begin(JdbcMethods.EXECUTE_UPDATE_SQL, sql);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            int r = delegate.executeUpdate(sql);
            result = Integer.valueOf(r);
            return r;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            end(execution, start, result, failure);
        }
    }

    @Override
    public void close() throws SQLException {
        delegate.close();
        closed();
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        return delegate.getMaxFieldSize();
    }

    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        delegate.setMaxFieldSize(max);
    }

    @Override
    public int getMaxRows() throws SQLException {
        return delegate.getMaxRows();
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        delegate.setMaxRows(max);
    }

    @Override
    public void setEscapeProcessing(boolean enable) throws SQLException {
        delegate.setEscapeProcessing(enable);
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        return delegate.getQueryTimeout();
    }

    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        delegate.setQueryTimeout(seconds);
    }

    @Override
    public void cancel() throws SQLException {
        delegate.cancel();
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
    public void setCursorName(String name) throws SQLException {
        delegate.setCursorName(name);
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        Execution execution = begin(JdbcMethods.EXECUTE_SQL, sql);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            boolean r = delegate.execute(sql);
            result = Boolean.valueOf(r);
            return r;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            end(execution, start, result, failure);
        }
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        return delegate.getResultSet();
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return delegate.getUpdateCount();
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return delegate.getMoreResults();
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        delegate.setFetchDirection(direction);
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return delegate.getFetchDirection();
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        delegate.setFetchSize(rows);
    }

    @Override
    public int getFetchSize() throws SQLException {
        return delegate.getFetchSize();
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        return delegate.getResultSetConcurrency();
    }

    @Override
    public int getResultSetType() throws SQLException {
        return delegate.getResultSetType();
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        delegate.addBatch(sql);
        batchAdded(sql);
    }

    @Override
    public void clearBatch() throws SQLException {
        delegate.clearBatch();
        batchCleared();
    }

    @Override
    public int[] executeBatch() throws SQLException {
        Execution execution = beginBatch(JdbcMethods.EXECUTE_BATCH);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            int[] r = delegate.executeBatch();
            result = r;
            return r;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            end(execution, start, result, failure);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connection;
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        return delegate.getMoreResults(current);
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        return delegate.getGeneratedKeys();
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        Execution execution = begin(JdbcMethods.EXECUTE_UPDATE_SQL_INT, sql, autoGeneratedKeys);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            int r = delegate.executeUpdate(sql, autoGeneratedKeys);
            result = Integer.valueOf(r);
            return r;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            end(execution, start, result, failure);
        }
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        Execution execution = begin(JdbcMethods.EXECUTE_UPDATE_SQL_INTS, sql, columnIndexes);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            int r = delegate.executeUpdate(sql, columnIndexes);
            result = Integer.valueOf(r);
            return r;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            end(execution, start, result, failure);
        }
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        Execution execution = begin(JdbcMethods.EXECUTE_UPDATE_SQL_STRINGS, sql, columnNames);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            int r = delegate.executeUpdate(sql, columnNames);
            result = Integer.valueOf(r);
            return r;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            end(execution, start, result, failure);
        }
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        Execution execution = begin(JdbcMethods.EXECUTE_SQL_INT, sql, autoGeneratedKeys);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            boolean r = delegate.execute(sql, autoGeneratedKeys);
            result = Boolean.valueOf(r);
            return r;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            end(execution, start, result, failure);
        }
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        Execution execution = begin(JdbcMethods.EXECUTE_SQL_INTS, sql, columnIndexes);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            boolean r = delegate.execute(sql, columnIndexes);
            result = Boolean.valueOf(r);
            return r;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            end(execution, start, result, failure);
        }
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        Execution execution = begin(JdbcMethods.EXECUTE_SQL_STRINGS, sql, columnNames);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            boolean r = delegate.execute(sql, columnNames);
            result = Boolean.valueOf(r);
            return r;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            end(execution, start, result, failure);
        }
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        return delegate.getResultSetHoldability();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return delegate.isClosed();
    }

    @Override
    public void setPoolable(boolean poolable) throws SQLException {
        delegate.setPoolable(poolable);
    }

    @Override
    public boolean isPoolable() throws SQLException {
        return delegate.isPoolable();
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        delegate.closeOnCompletion();
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        return delegate.isCloseOnCompletion();
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        return delegate.getLargeUpdateCount();
    }

    @Override
    public void setLargeMaxRows(long max) throws SQLException {
        delegate.setLargeMaxRows(max);
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        return delegate.getLargeMaxRows();
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        Execution execution = beginBatch(JdbcMethods.EXECUTE_LARGE_BATCH);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            long[] r = delegate.executeLargeBatch();
            result = r;
            return r;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            end(execution, start, result, failure);
        }
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        Execution execution = begin(JdbcMethods.EXECUTE_LARGE_UPDATE_SQL, sql);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            long r = delegate.executeLargeUpdate(sql);
            result = Long.valueOf(r);
            return r;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            end(execution, start, result, failure);
        }
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        Execution execution = begin(JdbcMethods.EXECUTE_LARGE_UPDATE_SQL_INT, sql, autoGeneratedKeys);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            long r = delegate.executeLargeUpdate(sql, autoGeneratedKeys);
            result = Long.valueOf(r);
            return r;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            end(execution, start, result, failure);
        }
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        Execution execution = begin(JdbcMethods.EXECUTE_LARGE_UPDATE_SQL_INTS, sql, columnIndexes);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            long r = delegate.executeLargeUpdate(sql, columnIndexes);
            result = Long.valueOf(r);
            return r;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            end(execution, start, result, failure);
        }
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        Execution execution = begin(JdbcMethods.EXECUTE_LARGE_UPDATE_SQL_STRINGS, sql, columnNames);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            long r = delegate.executeLargeUpdate(sql, columnNames);
            result = Long.valueOf(r);
            return r;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            end(execution, start, result, failure);
        }
    }

    @Override
    public String enquoteLiteral(String val) throws SQLException {
        return delegate.enquoteLiteral(val);
    }

    @Override
    public String enquoteIdentifier(String identifier, boolean alwaysQuote) throws SQLException {
        return delegate.enquoteIdentifier(identifier, alwaysQuote);
    }

    @Override
    public boolean isSimpleIdentifier(String identifier) throws SQLException {
        return delegate.isSimpleIdentifier(identifier);
    }

    @Override
    public String enquoteNCharLiteral(String val) throws SQLException {
        return delegate.enquoteNCharLiteral(val);
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
