package dev.querylens.core.detect;

import java.util.Collection;

/**
 * The arrays a unit of work made with {@code Connection.createArrayOf} on a wrapped connection, so that an array
 * bound later ({@code = ANY (?)}) is known by its element count and content, not by its identity. The last
 * {@value #SIZE} only: an array is bound right after it is made. Confined to the unit's thread.
 */
public final class KnownArrays {
    static final int SIZE = 8;
    /** A value that is no array. */
    static final int NOT_AN_ARRAY = -1;
    /** An array whose length is not known (made where Querylens could not see it). */
    static final int UNKNOWN_LENGTH = -2;
    /** Elements hashed for an array's content; a longer one is known by its identity. */
    static final int MAX_HASHED_ELEMENTS = 1024;

    // made on the first array: most units of work make none
    private Object[] arrays;
    private int[] elements;
    private long[] hashes;
    private int next;

    /** {@code array} was made from {@code content} ({@code Connection.createArrayOf}). */
    public void record(Object array, Object[] content) {
        if (arrays == null) {
            arrays = new Object[SIZE];
            elements = new int[SIZE];
            hashes = new long[SIZE];
        }
        int slot = next++ & (SIZE - 1);
        arrays[slot] = array;
        elements[slot] = content == null ? 0 : nonNull(content);
        hashes[slot] = content == null || content.length > MAX_HASHED_ELEMENTS ? System.identityHashCode(array)
                : contentHash(content);
    }

    /**
     * Non-null elements of a value bound where an array of keys may stand, counted up to 2: a {@code java.sql.Array}
     * made here, a Java array or collection, a PostgreSQL array literal ({@code {1,2,3}}, as jOOQ binds arrays);
     * {@link #UNKNOWN_LENGTH} for an array made elsewhere, {@link #NOT_AN_ARRAY} for anything else.
     */
    int elements(Object value) {
        if (value instanceof java.sql.Array) {
            int slot = find(value);
            return slot >= 0 ? elements[slot] : UNKNOWN_LENGTH;
        }
        if (value instanceof Object[] content) {
            return nonNull(content);
        }
        if (value instanceof Collection<?> content) {
            return nonNull(content);
        }
        if (value != null && value.getClass().isArray()) {
            return Math.min(java.lang.reflect.Array.getLength(value), 2);
        }
        if (value instanceof String text) {
            return arrayLiteralElements(text);
        }
        return NOT_AN_ARRAY;
    }

    /** Content hash of a value bound as an array made here, Java array or collection; 0 when there is none. */
    long contentHash(Object value) {
        if (value instanceof java.sql.Array) {
            int slot = find(value);
            return slot >= 0 ? hashes[slot] : 0;
        }
        if (value instanceof Object[] content && content.length <= MAX_HASHED_ELEMENTS) {
            return contentHash(content);
        }
        return 0;
    }

    /**
     * Non-null elements of a PostgreSQL array literal such as {@code {1,2,3}}, counted up to 2;
     * {@link #NOT_AN_ARRAY} when {@code text} is no such literal.
     */
    static int arrayLiteralElements(String text) {
        int n = text.length();
        if (n < 2 || text.charAt(0) != '{' || text.charAt(n - 1) != '}') {
            return NOT_AN_ARRAY;
        }
        int count = 0;
        int start = 1;
        boolean quoted = false;
        int depth = 0;
        for (int k = 1; k < n; k++) {
            char c = text.charAt(k);
            if (c == '"' && text.charAt(k - 1) != '\\') {
                quoted = !quoted;
            } else if (!quoted && c == '{') {
                depth++;
            } else if (!quoted && depth > 0 && c == '}') {
                depth--;
            } else if (!quoted && depth == 0 && (c == ',' || k == n - 1)) {
                if (k > start && !text.substring(start, k).trim().equalsIgnoreCase("null") && ++count >= 2) {
                    return count;
                }
                start = k + 1;
            }
        }
        return count;
    }

    /** Slot of {@code array}, or -1 when it was not made here. */
    int find(Object array) {
        if (arrays == null) {
            return -1;
        }
        for (int i = 0; i < SIZE; i++) {
            if (arrays[i] == array) {
                return i;
            }
        }
        return -1;
    }

    int elements(int slot) {
        return elements[slot];
    }

    long hash(int slot) {
        return hashes[slot];
    }

    /** Non-null elements, counted up to 2: all the rules need to know is whether there are several. */
    static int nonNull(Object[] content) {
        int n = 0;
        for (Object o : content) {
            if (o != null && ++n >= 2) {
                return n;
            }
        }
        return n;
    }

    static int nonNull(Collection<?> content) {
        int n = 0;
        for (Object o : content) {
            if (o != null && ++n >= 2) {
                return n;
            }
        }
        return n;
    }

    static long contentHash(Object[] content) {
        long h = 1;
        for (Object o : content) {
            h = 31 * h + dev.querylens.core.jdbc.BindHash.of(o);
        }
        return h;
    }
}
