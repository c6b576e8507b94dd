package dev.querylens.core.explain;

import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.proxy.ParameterSetOperation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The copy of a sampled statement's bind values that waits in the sampler's queue. Only values of simple,
 * immutable types are copied (numbers, strings up to {@value #MAX_STRING_CHARS} characters, booleans, dates and
 * times, UUIDs; mutable date classes as new instances): a statement with any other bind (a byte array, a stream,
 * a LOB, an array, a driver's object, a date set with a {@link Calendar}) is not sampled, so the sampler never
 * keeps the application's objects nor reads a stream the application already read.
 *
 * <p>Bounds per statement: {@value #MAX_BINDS} binds and {@value #MAX_CHARS} characters of strings in all.
 */
final class BindValues {
    static final int MAX_BINDS = 1_000;
    static final int MAX_STRING_CHARS = 1_024;
    static final int MAX_CHARS = 16_384;

    private static final Set<Class<?>> IMMUTABLE = Set.of(
            Boolean.class, Character.class, Byte.class, Short.class, Integer.class, Long.class, Float.class,
            Double.class, BigDecimal.class, BigInteger.class, UUID.class, LocalDate.class, LocalTime.class,
            LocalDateTime.class, OffsetDateTime.class, OffsetTime.class, ZonedDateTime.class, Instant.class);

    private BindValues() {
    }

    /** The values of a statement's first parameter set, in parameter order; {@code null} when one cannot be copied. */
    static List<Object> copy(QueryInfo query) {
        List<List<ParameterSetOperation>> sets = query.getParametersList();
        if (sets.isEmpty()) {
            return List.of();
        }
        List<ParameterSetOperation> operations = sets.get(0);
        if (operations.size() > MAX_BINDS) {
            return null;
        }
        TreeMap<Integer, Object> byIndex = new TreeMap<>();
        int chars = 0;
        for (ParameterSetOperation op : operations) {
            Object[] args = op.getArgs();
            if (args == null || args.length < 2 || !(args[0] instanceof Integer index)) {
                return null; // a parameter set by name, or a setter Querylens does not know
            }
            for (int i = 2; i < args.length; i++) {
                if (args[i] instanceof Calendar) {
                    return null;
                }
            }
            if (ParameterSetOperation.isSetNullParameterOperation(op) || args[1] == null) {
                byIndex.put(index, null);
                continue;
            }
            Object copied = copyOf(args[1]);
            if (copied == null) {
                return null;
            }
            if (copied instanceof String s) {
                chars += s.length();
                if (chars > MAX_CHARS) {
                    return null;
                }
            }
            byIndex.put(index, copied);
        }
        return new ArrayList<>(byIndex.values());
    }

    /** A value the sampler may keep for {@code value}, or {@code null} when it may keep none. */
    static Object copyOf(Object value) {
        Class<?> type = value.getClass();
        if (IMMUTABLE.contains(type)) {
            return value;
        }
        if (type == String.class) {
            return ((String) value).length() <= MAX_STRING_CHARS ? value : null;
        }
        if (type == java.sql.Timestamp.class) {
            java.sql.Timestamp ts = new java.sql.Timestamp(((java.sql.Timestamp) value).getTime());
            ts.setNanos(((java.sql.Timestamp) value).getNanos());
            return ts;
        }
        if (type == java.sql.Date.class) {
            return new java.sql.Date(((java.sql.Date) value).getTime());
        }
        if (type == java.sql.Time.class) {
            return new java.sql.Time(((java.sql.Time) value).getTime());
        }
        if (type == java.util.Date.class) {
            return new java.util.Date(((java.util.Date) value).getTime());
        }
        return null;
    }

    /** What kind of bind kept a statement from being sampled, for a DEBUG line: never the value itself. */
    static String refusal(QueryInfo query) {
        List<List<ParameterSetOperation>> sets = query.getParametersList();
        if (sets.isEmpty()) {
            return "its binds cannot be copied";
        }
        if (sets.get(0).size() > MAX_BINDS) {
            return "more than " + MAX_BINDS + " binds";
        }
        for (ParameterSetOperation op : sets.get(0)) {
            Object[] args = op.getArgs();
            if (args != null && args.length >= 2 && args[1] != null && copyOf(args[1]) == null) {
                return args[1] instanceof String ? "a string bind longer than " + MAX_STRING_CHARS + " characters"
                        : "a bind of type " + args[1].getClass().getName();
            }
        }
        return "its binds cannot be copied (a Calendar, a named parameter, or more than " + MAX_CHARS
                + " characters of strings)";
    }
}
