package dev.querylens.core.jdbc;

import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.RowId;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;

/**
 * Every JDBC method that sets a parameter of a prepared or callable statement, as datasource-proxy records them:
 * the {@code set*} methods by index and by name, and {@code registerOutParameter}. Its {@link Method} is looked up
 * only when a listener asks for the parameters ({@link BoundQueryInfo#getParametersList()}).
 */
enum Setter {
    SET_NULL(PreparedStatement.class, "setNull", ValueKind.INT, int.class, int.class),
    SET_BOOLEAN(PreparedStatement.class, "setBoolean", ValueKind.BOOLEAN, int.class, boolean.class),
    SET_BYTE(PreparedStatement.class, "setByte", ValueKind.BYTE, int.class, byte.class),
    SET_SHORT(PreparedStatement.class, "setShort", ValueKind.SHORT, int.class, short.class),
    SET_INT(PreparedStatement.class, "setInt", ValueKind.INT, int.class, int.class),
    SET_LONG(PreparedStatement.class, "setLong", ValueKind.LONG, int.class, long.class),
    SET_FLOAT(PreparedStatement.class, "setFloat", ValueKind.FLOAT, int.class, float.class),
    SET_DOUBLE(PreparedStatement.class, "setDouble", ValueKind.DOUBLE, int.class, double.class),
    SET_BIG_DECIMAL(PreparedStatement.class, "setBigDecimal", ValueKind.OBJECT, int.class, BigDecimal.class),
    SET_STRING(PreparedStatement.class, "setString", ValueKind.OBJECT, int.class, String.class),
    SET_BYTES(PreparedStatement.class, "setBytes", ValueKind.OBJECT, int.class, byte[].class),
    SET_DATE(PreparedStatement.class, "setDate", ValueKind.OBJECT, int.class, Date.class),
    SET_TIME(PreparedStatement.class, "setTime", ValueKind.OBJECT, int.class, Time.class),
    SET_TIMESTAMP(PreparedStatement.class, "setTimestamp", ValueKind.OBJECT, int.class, Timestamp.class),
    SET_ASCII_STREAM_INT(PreparedStatement.class, "setAsciiStream", ValueKind.OBJECT, int.class, InputStream.class,
            int.class),
    SET_UNICODE_STREAM_INT(PreparedStatement.class, "setUnicodeStream", ValueKind.OBJECT, int.class,
            InputStream.class, int.class),
    SET_BINARY_STREAM_INT(PreparedStatement.class, "setBinaryStream", ValueKind.OBJECT, int.class, InputStream.class,
            int.class),
    SET_OBJECT_INT(PreparedStatement.class, "setObject", ValueKind.OBJECT, int.class, Object.class, int.class),
    SET_OBJECT(PreparedStatement.class, "setObject", ValueKind.OBJECT, int.class, Object.class),
    SET_CHARACTER_STREAM_INT(PreparedStatement.class, "setCharacterStream", ValueKind.OBJECT, int.class,
            Reader.class, int.class),
    SET_REF(PreparedStatement.class, "setRef", ValueKind.OBJECT, int.class, Ref.class),
    SET_BLOB_BLOB(PreparedStatement.class, "setBlob", ValueKind.OBJECT, int.class, Blob.class),
    SET_CLOB_CLOB(PreparedStatement.class, "setClob", ValueKind.OBJECT, int.class, Clob.class),
    SET_ARRAY(PreparedStatement.class, "setArray", ValueKind.OBJECT, int.class, Array.class),
    SET_DATE_CALENDAR(PreparedStatement.class, "setDate", ValueKind.OBJECT, int.class, Date.class, Calendar.class),
    SET_TIME_CALENDAR(PreparedStatement.class, "setTime", ValueKind.OBJECT, int.class, Time.class, Calendar.class),
    SET_TIMESTAMP_CALENDAR(PreparedStatement.class, "setTimestamp", ValueKind.OBJECT, int.class, Timestamp.class,
            Calendar.class),
    SET_NULL_STRING(PreparedStatement.class, "setNull", ValueKind.INT, int.class, int.class, String.class),
    SET_URL(PreparedStatement.class, "setURL", ValueKind.OBJECT, int.class, URL.class),
    SET_ROW_ID(PreparedStatement.class, "setRowId", ValueKind.OBJECT, int.class, RowId.class),
    SET_NSTRING(PreparedStatement.class, "setNString", ValueKind.OBJECT, int.class, String.class),
    SET_NCHARACTER_STREAM_LONG(PreparedStatement.class, "setNCharacterStream", ValueKind.OBJECT, int.class,
            Reader.class, long.class),
    SET_NCLOB_NCLOB(PreparedStatement.class, "setNClob", ValueKind.OBJECT, int.class, NClob.class),
    SET_CLOB_READER_LONG(PreparedStatement.class, "setClob", ValueKind.OBJECT, int.class, Reader.class, long.class),
    SET_BLOB_STREAM_LONG(PreparedStatement.class, "setBlob", ValueKind.OBJECT, int.class, InputStream.class,
            long.class),
    SET_NCLOB_READER_LONG(PreparedStatement.class, "setNClob", ValueKind.OBJECT, int.class, Reader.class, long.class),
    SET_SQLXML(PreparedStatement.class, "setSQLXML", ValueKind.OBJECT, int.class, SQLXML.class),
    SET_OBJECT_INT_INT(PreparedStatement.class, "setObject", ValueKind.OBJECT, int.class, Object.class, int.class,
            int.class),
    SET_ASCII_STREAM_LONG(PreparedStatement.class, "setAsciiStream", ValueKind.OBJECT, int.class, InputStream.class,
            long.class),
    SET_BINARY_STREAM_LONG(PreparedStatement.class, "setBinaryStream", ValueKind.OBJECT, int.class,
            InputStream.class, long.class),
    SET_CHARACTER_STREAM_LONG(PreparedStatement.class, "setCharacterStream", ValueKind.OBJECT, int.class,
            Reader.class, long.class),
    SET_ASCII_STREAM(PreparedStatement.class, "setAsciiStream", ValueKind.OBJECT, int.class, InputStream.class),
    SET_BINARY_STREAM(PreparedStatement.class, "setBinaryStream", ValueKind.OBJECT, int.class, InputStream.class),
    SET_CHARACTER_STREAM(PreparedStatement.class, "setCharacterStream", ValueKind.OBJECT, int.class, Reader.class),
    SET_NCHARACTER_STREAM(PreparedStatement.class, "setNCharacterStream", ValueKind.OBJECT, int.class, Reader.class),
    SET_CLOB_READER(PreparedStatement.class, "setClob", ValueKind.OBJECT, int.class, Reader.class),
    SET_BLOB_STREAM(PreparedStatement.class, "setBlob", ValueKind.OBJECT, int.class, InputStream.class),
    SET_NCLOB_READER(PreparedStatement.class, "setNClob", ValueKind.OBJECT, int.class, Reader.class),
    SET_OBJECT_SQLTYPE_INT(PreparedStatement.class, "setObject", ValueKind.OBJECT, int.class, Object.class,
            SQLType.class, int.class),
    SET_OBJECT_SQLTYPE(PreparedStatement.class, "setObject", ValueKind.OBJECT, int.class, Object.class, SQLType.class),
    REGISTER_OUT_PARAMETER_INT(CallableStatement.class, "registerOutParameter", ValueKind.INT, int.class, int.class),
    REGISTER_OUT_PARAMETER_INT_INT(CallableStatement.class, "registerOutParameter", ValueKind.INT, int.class,
            int.class, int.class),
    REGISTER_OUT_PARAMETER_INT_STRING(CallableStatement.class, "registerOutParameter", ValueKind.INT, int.class,
            int.class, String.class),
    REGISTER_OUT_PARAMETER_INT_BY_NAME(CallableStatement.class, "registerOutParameter", ValueKind.INT, String.class,
            int.class),
    REGISTER_OUT_PARAMETER_INT_INT_BY_NAME(CallableStatement.class, "registerOutParameter", ValueKind.INT,
            String.class, int.class, int.class),
    REGISTER_OUT_PARAMETER_INT_STRING_BY_NAME(CallableStatement.class, "registerOutParameter", ValueKind.INT,
            String.class, int.class, String.class),
    SET_URL_BY_NAME(CallableStatement.class, "setURL", ValueKind.OBJECT, String.class, URL.class),
    SET_NULL_BY_NAME(CallableStatement.class, "setNull", ValueKind.INT, String.class, int.class),
    SET_BOOLEAN_BY_NAME(CallableStatement.class, "setBoolean", ValueKind.BOOLEAN, String.class, boolean.class),
    SET_BYTE_BY_NAME(CallableStatement.class, "setByte", ValueKind.BYTE, String.class, byte.class),
    SET_SHORT_BY_NAME(CallableStatement.class, "setShort", ValueKind.SHORT, String.class, short.class),
    SET_INT_BY_NAME(CallableStatement.class, "setInt", ValueKind.INT, String.class, int.class),
    SET_LONG_BY_NAME(CallableStatement.class, "setLong", ValueKind.LONG, String.class, long.class),
    SET_FLOAT_BY_NAME(CallableStatement.class, "setFloat", ValueKind.FLOAT, String.class, float.class),
    SET_DOUBLE_BY_NAME(CallableStatement.class, "setDouble", ValueKind.DOUBLE, String.class, double.class),
    SET_BIG_DECIMAL_BY_NAME(CallableStatement.class, "setBigDecimal", ValueKind.OBJECT, String.class, BigDecimal.class),
    SET_STRING_BY_NAME(CallableStatement.class, "setString", ValueKind.OBJECT, String.class, String.class),
    SET_BYTES_BY_NAME(CallableStatement.class, "setBytes", ValueKind.OBJECT, String.class, byte[].class),
    SET_DATE_BY_NAME(CallableStatement.class, "setDate", ValueKind.OBJECT, String.class, Date.class),
    SET_TIME_BY_NAME(CallableStatement.class, "setTime", ValueKind.OBJECT, String.class, Time.class),
    SET_TIMESTAMP_BY_NAME(CallableStatement.class, "setTimestamp", ValueKind.OBJECT, String.class, Timestamp.class),
    SET_ASCII_STREAM_INT_BY_NAME(CallableStatement.class, "setAsciiStream", ValueKind.OBJECT, String.class,
            InputStream.class, int.class),
    SET_BINARY_STREAM_INT_BY_NAME(CallableStatement.class, "setBinaryStream", ValueKind.OBJECT, String.class,
            InputStream.class, int.class),
    SET_OBJECT_INT_INT_BY_NAME(CallableStatement.class, "setObject", ValueKind.OBJECT, String.class, Object.class,
            int.class, int.class),
    SET_OBJECT_INT_BY_NAME(CallableStatement.class, "setObject", ValueKind.OBJECT, String.class, Object.class,
            int.class),
    SET_OBJECT_BY_NAME(CallableStatement.class, "setObject", ValueKind.OBJECT, String.class, Object.class),
    SET_CHARACTER_STREAM_INT_BY_NAME(CallableStatement.class, "setCharacterStream", ValueKind.OBJECT, String.class,
            Reader.class, int.class),
    SET_DATE_CALENDAR_BY_NAME(CallableStatement.class, "setDate", ValueKind.OBJECT, String.class, Date.class,
            Calendar.class),
    SET_TIME_CALENDAR_BY_NAME(CallableStatement.class, "setTime", ValueKind.OBJECT, String.class, Time.class,
            Calendar.class),
    SET_TIMESTAMP_CALENDAR_BY_NAME(CallableStatement.class, "setTimestamp", ValueKind.OBJECT, String.class,
            Timestamp.class, Calendar.class),
    SET_NULL_STRING_BY_NAME(CallableStatement.class, "setNull", ValueKind.INT, String.class, int.class, String.class),
    SET_ROW_ID_BY_NAME(CallableStatement.class, "setRowId", ValueKind.OBJECT, String.class, RowId.class),
    SET_NSTRING_BY_NAME(CallableStatement.class, "setNString", ValueKind.OBJECT, String.class, String.class),
    SET_NCHARACTER_STREAM_LONG_BY_NAME(CallableStatement.class, "setNCharacterStream", ValueKind.OBJECT,
            String.class, Reader.class, long.class),
    SET_NCLOB_NCLOB_BY_NAME(CallableStatement.class, "setNClob", ValueKind.OBJECT, String.class, NClob.class),
    SET_CLOB_READER_LONG_BY_NAME(CallableStatement.class, "setClob", ValueKind.OBJECT, String.class, Reader.class,
            long.class),
    SET_BLOB_STREAM_LONG_BY_NAME(CallableStatement.class, "setBlob", ValueKind.OBJECT, String.class,
            InputStream.class, long.class),
    SET_NCLOB_READER_LONG_BY_NAME(CallableStatement.class, "setNClob", ValueKind.OBJECT, String.class, Reader.class,
            long.class),
    SET_SQLXML_BY_NAME(CallableStatement.class, "setSQLXML", ValueKind.OBJECT, String.class, SQLXML.class),
    SET_BLOB_BLOB_BY_NAME(CallableStatement.class, "setBlob", ValueKind.OBJECT, String.class, Blob.class),
    SET_CLOB_CLOB_BY_NAME(CallableStatement.class, "setClob", ValueKind.OBJECT, String.class, Clob.class),
    SET_ASCII_STREAM_LONG_BY_NAME(CallableStatement.class, "setAsciiStream", ValueKind.OBJECT, String.class,
            InputStream.class, long.class),
    SET_BINARY_STREAM_LONG_BY_NAME(CallableStatement.class, "setBinaryStream", ValueKind.OBJECT, String.class,
            InputStream.class, long.class),
    SET_CHARACTER_STREAM_LONG_BY_NAME(CallableStatement.class, "setCharacterStream", ValueKind.OBJECT, String.class,
            Reader.class, long.class),
    SET_ASCII_STREAM_BY_NAME(CallableStatement.class, "setAsciiStream", ValueKind.OBJECT, String.class,
            InputStream.class),
    SET_BINARY_STREAM_BY_NAME(CallableStatement.class, "setBinaryStream", ValueKind.OBJECT, String.class,
            InputStream.class),
    SET_CHARACTER_STREAM_BY_NAME(CallableStatement.class, "setCharacterStream", ValueKind.OBJECT, String.class,
            Reader.class),
    SET_NCHARACTER_STREAM_BY_NAME(CallableStatement.class, "setNCharacterStream", ValueKind.OBJECT, String.class,
            Reader.class),
    SET_CLOB_READER_BY_NAME(CallableStatement.class, "setClob", ValueKind.OBJECT, String.class, Reader.class),
    SET_BLOB_STREAM_BY_NAME(CallableStatement.class, "setBlob", ValueKind.OBJECT, String.class, InputStream.class),
    SET_NCLOB_READER_BY_NAME(CallableStatement.class, "setNClob", ValueKind.OBJECT, String.class, Reader.class),
    SET_OBJECT_SQLTYPE_INT_BY_NAME(CallableStatement.class, "setObject", ValueKind.OBJECT, String.class,
            Object.class, SQLType.class, int.class),
    SET_OBJECT_SQLTYPE_BY_NAME(CallableStatement.class, "setObject", ValueKind.OBJECT, String.class, Object.class,
            SQLType.class),
    REGISTER_OUT_PARAMETER_SQLTYPE(CallableStatement.class, "registerOutParameter", ValueKind.OBJECT, int.class,
            SQLType.class),
    REGISTER_OUT_PARAMETER_SQLTYPE_INT(CallableStatement.class, "registerOutParameter", ValueKind.OBJECT, int.class,
            SQLType.class, int.class),
    REGISTER_OUT_PARAMETER_SQLTYPE_STRING(CallableStatement.class, "registerOutParameter", ValueKind.OBJECT,
            int.class, SQLType.class, String.class),
    REGISTER_OUT_PARAMETER_SQLTYPE_BY_NAME(CallableStatement.class, "registerOutParameter", ValueKind.OBJECT,
            String.class, SQLType.class),
    REGISTER_OUT_PARAMETER_SQLTYPE_INT_BY_NAME(CallableStatement.class, "registerOutParameter", ValueKind.OBJECT,
            String.class, SQLType.class, int.class),
    REGISTER_OUT_PARAMETER_SQLTYPE_STRING_BY_NAME(CallableStatement.class, "registerOutParameter", ValueKind.OBJECT,
            String.class, SQLType.class, String.class);

    /** How the value (the setter's second argument) is kept: in a {@code long} of bits, or as an object. */
    enum ValueKind { INT, LONG, SHORT, BYTE, BOOLEAN, FLOAT, DOUBLE, OBJECT }

    final Class<?> declaringInterface;
    final String methodName;
    final ValueKind valueKind;
    final int nameHash;
    private final Class<?>[] parameterTypes;
    private volatile Method method;

    Setter(Class<?> declaringInterface, String methodName, ValueKind valueKind, Class<?>... parameterTypes) {
        this.declaringInterface = declaringInterface;
        this.methodName = methodName;
        this.valueKind = valueKind;
        this.nameHash = methodName.hashCode();
        this.parameterTypes = parameterTypes;
    }

    /** The interface method, as datasource-proxy's JDK proxies see it. */
    Method method() {
        Method m = method;
        if (m == null) {
            m = JdbcMethods.method(declaringInterface, methodName, parameterTypes);
            method = m;
        }
        return m;
    }

    /** The value as datasource-proxy would have recorded it: boxed from its bits, or the object itself. */
    Object value(long bits, Object ref) {
        return switch (valueKind) {
            case INT -> (int) bits;
            case LONG -> bits;
            case SHORT -> (short) bits;
            case BYTE -> (byte) bits;
            case BOOLEAN -> bits != 0;
            case FLOAT -> Float.intBitsToFloat((int) bits);
            case DOUBLE -> Double.longBitsToDouble(bits);
            case OBJECT -> ref;
        };
    }
}
