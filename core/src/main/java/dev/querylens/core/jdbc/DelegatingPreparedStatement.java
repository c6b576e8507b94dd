package dev.querylens.core.jdbc;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;

/**
 * A {@link PreparedStatement} wrapper: as {@link DelegatingStatement}, and each parameter set is recorded in
 * {@link BindValues} (hashed as it is set) after the driver accepted it. An execution describes the SQL the
 * statement was prepared with and its current parameters, as datasource-proxy's prepared statement proxy does,
 * whichever {@code execute} overload was called.
 */
class DelegatingPreparedStatement<S extends PreparedStatement> extends DelegatingStatement<S>
        implements PreparedStatement {

    /** Read-only stand-in for the parameters of a statement that was closed. */
    private static final BindValues NO_BINDS = new BindValues();

    final String sql;
    /** Null once closed: the slots went back to the connection for its next statement. */
    private BindValues binds;
    /** Parameter rows added with {@code addBatch()} since the last batch execution. */
    private List<BindValues> batchRows;

    DelegatingPreparedStatement(S delegate, String sql, DelegatingConnection connection) {
        super(delegate, connection);
        this.sql = sql;
        this.binds = connection.takeBinds();
    }

    /** Starts an execution of the prepared SQL ({@code executeQuery()}); returns its listener arguments. */
    final Execution begin(java.lang.reflect.Method method) {
        Execution e = connection.acquireExecution();
        describe(e, null);
        e.start(connection.info, delegate, method, null, false, 0);
        return fireBefore(e);
    }

    @Override
    final void describe(Execution e, String ignored) {
        BindValues b = binds;
        e.query.reset(sql, b == null ? NO_BINDS : b, null);
    }

    @Override
    final int describeBatch(Execution e) {
        List<BindValues> rows = batchRows;
        batchRows = null;
        if (rows == null) {
            rows = List.of();
        } else {
            // the rows serve for the next batch once the listeners are done with them
            e.giveBackAfterwards(rows, connection);
        }
        e.query.reset(sql, null, rows);
        return rows.size();
    }

    /** The parameters become a batch row as they are; the next row is set on other slots. */
    @Override
    final void batchAdded(String ignored) {
        BindValues b = binds;
        if (b == null) {
            return;
        }
        if (batchRows == null) {
            batchRows = new ArrayList<>();
        }
        batchRows.add(b);
        binds = connection.takeRow();
    }

    @Override
    final void batchCleared() {
        List<BindValues> rows = batchRows;
        batchRows = null;
        if (rows != null) {
            connection.giveBackRows(rows);
        }
    }

    final void parametersCleared() {
        BindValues b = binds;
        if (b != null) {
            b.clear();
        }
    }

    @Override
    final void closed() {
        BindValues b = binds;
        binds = null;
        batchCleared();
        if (b != null) {
            connection.giveBackBinds(b);
        }
    }

    final void bind(Setter setter, int index, long valueBits, int valueHash) {
        BindValues b = binds;
        if (b != null) {
            b.put(setter, index, valueBits, null, null, valueHash);
        }
    }

    final void bind(Setter setter, int index, long valueBits, int valueHash, Object[] extra) {
        BindValues b = binds;
        if (b != null) {
            b.put(setter, index, valueBits, null, extra, valueHash);
        }
    }

    final void bind(Setter setter, int index, Object value) {
        BindValues b = binds;
        if (b != null) {
            b.put(setter, index, 0, value, null, hashOf(value));
        }
    }

    final void bind(Setter setter, int index, Object value, Object[] extra) {
        BindValues b = binds;
        if (b != null) {
            b.put(setter, index, 0, value, extra, hashOf(value));
        }
    }

    final void bind(Setter setter, String name, long valueBits, int valueHash) {
        BindValues b = binds;
        if (b != null) {
            b.put(setter, name, valueBits, null, null, valueHash);
        }
    }

    final void bind(Setter setter, String name, long valueBits, int valueHash, Object[] extra) {
        BindValues b = binds;
        if (b != null) {
            b.put(setter, name, valueBits, null, extra, valueHash);
        }
    }

    final void bind(Setter setter, String name, Object value) {
        BindValues b = binds;
        if (b != null) {
            b.put(setter, name, 0, value, null, hashOf(value));
        }
    }

    final void bind(Setter setter, String name, Object value, Object[] extra) {
        BindValues b = binds;
        if (b != null) {
            b.put(setter, name, 0, value, extra, hashOf(value));
        }
    }

    /** {@link BindHash#of(Object)}, by identity if the value's own {@code hashCode} throws. */
    private static int hashOf(Object value) {
        try {
            return BindHash.of(value);
        } catch (RuntimeException e) {
            return System.identityHashCode(value);
        }
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        Execution execution = begin(JdbcMethods.EXECUTE_QUERY);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            ResultSet r = delegate.executeQuery();
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
    public int executeUpdate() throws SQLException {
        Execution execution = begin(JdbcMethods.EXECUTE_UPDATE);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            int r = delegate.executeUpdate();
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
    public void setNull(int parameterIndex, int sqlType) throws SQLException {
        delegate.setNull(parameterIndex, sqlType);
        bind(Setter.SET_NULL, parameterIndex, sqlType, sqlType);
    }

    @Override
    public void setBoolean(int parameterIndex, boolean x) throws SQLException {
        delegate.setBoolean(parameterIndex, x);
        bind(Setter.SET_BOOLEAN, parameterIndex, x ? 1 : 0, Boolean.hashCode(x));
    }

    @Override
    public void setByte(int parameterIndex, byte x) throws SQLException {
        delegate.setByte(parameterIndex, x);
        bind(Setter.SET_BYTE, parameterIndex, x, x);
    }

    @Override
    public void setShort(int parameterIndex, short x) throws SQLException {
        delegate.setShort(parameterIndex, x);
        bind(Setter.SET_SHORT, parameterIndex, x, x);
    }

    @Override
    public void setInt(int parameterIndex, int x) throws SQLException {
        delegate.setInt(parameterIndex, x);
        bind(Setter.SET_INT, parameterIndex, x, x);
    }

    @Override
    public void setLong(int parameterIndex, long x) throws SQLException {
        delegate.setLong(parameterIndex, x);
        bind(Setter.SET_LONG, parameterIndex, x, Long.hashCode(x));
    }

    @Override
    public void setFloat(int parameterIndex, float x) throws SQLException {
        delegate.setFloat(parameterIndex, x);
        bind(Setter.SET_FLOAT, parameterIndex, Float.floatToRawIntBits(x), Float.hashCode(x));
    }

    @Override
    public void setDouble(int parameterIndex, double x) throws SQLException {
        delegate.setDouble(parameterIndex, x);
        bind(Setter.SET_DOUBLE, parameterIndex, Double.doubleToRawLongBits(x), Double.hashCode(x));
    }

    @Override
    public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException {
        delegate.setBigDecimal(parameterIndex, x);
        bind(Setter.SET_BIG_DECIMAL, parameterIndex, x);
    }

    @Override
    public void setString(int parameterIndex, String x) throws SQLException {
        delegate.setString(parameterIndex, x);
        bind(Setter.SET_STRING, parameterIndex, x);
    }

    @Override
    public void setBytes(int parameterIndex, byte[] x) throws SQLException {
        delegate.setBytes(parameterIndex, x);
        bind(Setter.SET_BYTES, parameterIndex, x);
    }

    @Override
    public void setDate(int parameterIndex, Date x) throws SQLException {
        delegate.setDate(parameterIndex, x);
        bind(Setter.SET_DATE, parameterIndex, x);
    }

    @Override
    public void setTime(int parameterIndex, Time x) throws SQLException {
        delegate.setTime(parameterIndex, x);
        bind(Setter.SET_TIME, parameterIndex, x);
    }

    @Override
    public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException {
        delegate.setTimestamp(parameterIndex, x);
        bind(Setter.SET_TIMESTAMP, parameterIndex, x);
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x, int length) throws SQLException {
        delegate.setAsciiStream(parameterIndex, x, length);
        bind(Setter.SET_ASCII_STREAM_INT, parameterIndex, x, new Object[]{length});
    }

    @Override
    public void setUnicodeStream(int parameterIndex, InputStream x, int length) throws SQLException {
        delegate.setUnicodeStream(parameterIndex, x, length);
        bind(Setter.SET_UNICODE_STREAM_INT, parameterIndex, x, new Object[]{length});
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, int length) throws SQLException {
        delegate.setBinaryStream(parameterIndex, x, length);
        bind(Setter.SET_BINARY_STREAM_INT, parameterIndex, x, new Object[]{length});
    }

    @Override
    public void clearParameters() throws SQLException {
        delegate.clearParameters();
        parametersCleared();
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
        delegate.setObject(parameterIndex, x, targetSqlType);
        bind(Setter.SET_OBJECT_INT, parameterIndex, x, new Object[]{targetSqlType});
    }

    @Override
    public void setObject(int parameterIndex, Object x) throws SQLException {
        delegate.setObject(parameterIndex, x);
        bind(Setter.SET_OBJECT, parameterIndex, x);
    }

    @Override
    public boolean execute() throws SQLException {
        Execution execution = begin(JdbcMethods.EXECUTE);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            boolean r = delegate.execute();
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
    public void addBatch() throws SQLException {
        delegate.addBatch();
        batchAdded(null);
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, int length) throws SQLException {
        delegate.setCharacterStream(parameterIndex, reader, length);
        bind(Setter.SET_CHARACTER_STREAM_INT, parameterIndex, reader, new Object[]{length});
    }

    @Override
    public void setRef(int parameterIndex, Ref x) throws SQLException {
        delegate.setRef(parameterIndex, x);
        bind(Setter.SET_REF, parameterIndex, x);
    }

    @Override
    public void setBlob(int parameterIndex, Blob x) throws SQLException {
        delegate.setBlob(parameterIndex, x);
        bind(Setter.SET_BLOB_BLOB, parameterIndex, x);
    }

    @Override
    public void setClob(int parameterIndex, Clob x) throws SQLException {
        delegate.setClob(parameterIndex, x);
        bind(Setter.SET_CLOB_CLOB, parameterIndex, x);
    }

    @Override
    public void setArray(int parameterIndex, Array x) throws SQLException {
        delegate.setArray(parameterIndex, x);
        bind(Setter.SET_ARRAY, parameterIndex, x);
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        return delegate.getMetaData();
    }

    @Override
    public void setDate(int parameterIndex, Date x, Calendar cal) throws SQLException {
        delegate.setDate(parameterIndex, x, cal);
        bind(Setter.SET_DATE_CALENDAR, parameterIndex, x, new Object[]{cal});
    }

    @Override
    public void setTime(int parameterIndex, Time x, Calendar cal) throws SQLException {
        delegate.setTime(parameterIndex, x, cal);
        bind(Setter.SET_TIME_CALENDAR, parameterIndex, x, new Object[]{cal});
    }

    @Override
    public void setTimestamp(int parameterIndex, Timestamp x, Calendar cal) throws SQLException {
        delegate.setTimestamp(parameterIndex, x, cal);
        bind(Setter.SET_TIMESTAMP_CALENDAR, parameterIndex, x, new Object[]{cal});
    }

    @Override
    public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
        delegate.setNull(parameterIndex, sqlType, typeName);
        bind(Setter.SET_NULL_STRING, parameterIndex, sqlType, sqlType, new Object[]{typeName});
    }

    @Override
    public void setURL(int parameterIndex, URL x) throws SQLException {
        delegate.setURL(parameterIndex, x);
        bind(Setter.SET_URL, parameterIndex, x);
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        return delegate.getParameterMetaData();
    }

    @Override
    public void setRowId(int parameterIndex, RowId x) throws SQLException {
        delegate.setRowId(parameterIndex, x);
        bind(Setter.SET_ROW_ID, parameterIndex, x);
    }

    @Override
    public void setNString(int parameterIndex, String value) throws SQLException {
        delegate.setNString(parameterIndex, value);
        bind(Setter.SET_NSTRING, parameterIndex, value);
    }

    @Override
    public void setNCharacterStream(int parameterIndex, Reader value, long length) throws SQLException {
        delegate.setNCharacterStream(parameterIndex, value, length);
        bind(Setter.SET_NCHARACTER_STREAM_LONG, parameterIndex, value, new Object[]{length});
    }

    @Override
    public void setNClob(int parameterIndex, NClob value) throws SQLException {
        delegate.setNClob(parameterIndex, value);
        bind(Setter.SET_NCLOB_NCLOB, parameterIndex, value);
    }

    @Override
    public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
        delegate.setClob(parameterIndex, reader, length);
        bind(Setter.SET_CLOB_READER_LONG, parameterIndex, reader, new Object[]{length});
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream, long length) throws SQLException {
        delegate.setBlob(parameterIndex, inputStream, length);
        bind(Setter.SET_BLOB_STREAM_LONG, parameterIndex, inputStream, new Object[]{length});
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException {
        delegate.setNClob(parameterIndex, reader, length);
        bind(Setter.SET_NCLOB_READER_LONG, parameterIndex, reader, new Object[]{length});
    }

    @Override
    public void setSQLXML(int parameterIndex, SQLXML xmlObject) throws SQLException {
        delegate.setSQLXML(parameterIndex, xmlObject);
        bind(Setter.SET_SQLXML, parameterIndex, xmlObject);
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        delegate.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
        bind(Setter.SET_OBJECT_INT_INT, parameterIndex, x, new Object[]{targetSqlType, scaleOrLength});
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x, long length) throws SQLException {
        delegate.setAsciiStream(parameterIndex, x, length);
        bind(Setter.SET_ASCII_STREAM_LONG, parameterIndex, x, new Object[]{length});
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, long length) throws SQLException {
        delegate.setBinaryStream(parameterIndex, x, length);
        bind(Setter.SET_BINARY_STREAM_LONG, parameterIndex, x, new Object[]{length});
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
        delegate.setCharacterStream(parameterIndex, reader, length);
        bind(Setter.SET_CHARACTER_STREAM_LONG, parameterIndex, reader, new Object[]{length});
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
        delegate.setAsciiStream(parameterIndex, x);
        bind(Setter.SET_ASCII_STREAM, parameterIndex, x);
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
        delegate.setBinaryStream(parameterIndex, x);
        bind(Setter.SET_BINARY_STREAM, parameterIndex, x);
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
        delegate.setCharacterStream(parameterIndex, reader);
        bind(Setter.SET_CHARACTER_STREAM, parameterIndex, reader);
    }

    @Override
    public void setNCharacterStream(int parameterIndex, Reader value) throws SQLException {
        delegate.setNCharacterStream(parameterIndex, value);
        bind(Setter.SET_NCHARACTER_STREAM, parameterIndex, value);
    }

    @Override
    public void setClob(int parameterIndex, Reader reader) throws SQLException {
        delegate.setClob(parameterIndex, reader);
        bind(Setter.SET_CLOB_READER, parameterIndex, reader);
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream) throws SQLException {
        delegate.setBlob(parameterIndex, inputStream);
        bind(Setter.SET_BLOB_STREAM, parameterIndex, inputStream);
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader) throws SQLException {
        delegate.setNClob(parameterIndex, reader);
        bind(Setter.SET_NCLOB_READER, parameterIndex, reader);
    }

    @Override
    public void setObject(int parameterIndex, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
        delegate.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
        bind(Setter.SET_OBJECT_SQLTYPE_INT, parameterIndex, x, new Object[]{targetSqlType, scaleOrLength});
    }

    @Override
    public void setObject(int parameterIndex, Object x, SQLType targetSqlType) throws SQLException {
        delegate.setObject(parameterIndex, x, targetSqlType);
        bind(Setter.SET_OBJECT_SQLTYPE, parameterIndex, x, new Object[]{targetSqlType});
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        Execution execution = begin(JdbcMethods.EXECUTE_LARGE_UPDATE);
        long start = System.nanoTime();
        Object result = null;
        Throwable failure = null;
        try {
            long r = delegate.executeLargeUpdate();
            result = Long.valueOf(r);
            return r;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            end(execution, start, result, failure);
        }
    }
}
