package dev.querylens.core.jdbc;

import net.ttddyy.dsproxy.proxy.ParameterSetOperation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The parameters set on one prepared or callable statement since its last execution-relevant reset, kept the way
 * datasource-proxy keeps them (the last call per index or name wins; {@code clearParameters} and {@code addBatch}
 * start afresh) but without a map, a record object per call or boxing: slots by parameter index hold the setter,
 * the value (primitive bits, or the object) and the call's {@link BindHash}, and the sum of those hashes is kept
 * as calls come in. {@link #toOperations()} rebuilds datasource-proxy's {@link ParameterSetOperation} list only
 * when a listener asks for it. Parameters set by name ({@link java.sql.CallableStatement}) are kept in a small
 * list of their own. Confined to the statement's thread, like the statement.
 */
final class BindValues implements BoundValues {

    private static final int INITIAL_CAPACITY = 8;
    /** Arrays beyond this many indexes (a statement with a huge IN list) are not kept for the next statement. */
    static final int MAX_REUSED_CAPACITY = 256;
    private static final Setter[] NO_SETTERS = {};
    private static final long[] NO_LONGS = {};
    private static final Object[] NO_OBJECTS = {};
    private static final int[] NO_INTS = {};

    // slot i holds parameter index i + 1
    private Setter[] setters = NO_SETTERS;
    private long[] bits = NO_LONGS;
    private Object[] refs = NO_OBJECTS;
    /** Extra arguments of a setter overload that takes more than a value (a length, a Calendar, a type name). */
    private Object[][] extras;
    private long[] hashes = NO_LONGS;
    /** Keys in the order they were first set: an index, or {@code -(n + 1)} for the n-th named parameter. */
    private int[] order = NO_INTS;
    private int count;
    private long hashSum;
    private Named named;

    /** Parameters set by name: few, so searched linearly. */
    private static final class Named {
        String[] names = new String[4];
        Setter[] setters = new Setter[4];
        long[] bits = new long[4];
        Object[] refs = new Object[4];
        Object[][] extras = new Object[4][];
        long[] hashes = new long[4];
        int size;

        int slot(String name) {
            for (int i = 0; i < size; i++) {
                if (names[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        int add(String name) {
            if (size == names.length) {
                int n = size * 2;
                names = Arrays.copyOf(names, n);
                setters = Arrays.copyOf(setters, n);
                bits = Arrays.copyOf(bits, n);
                refs = Arrays.copyOf(refs, n);
                extras = Arrays.copyOf(extras, n);
                hashes = Arrays.copyOf(hashes, n);
            }
            names[size] = name;
            return size++;
        }

        void clear() {
            Arrays.fill(names, 0, size, null);
            Arrays.fill(refs, 0, size, null);
            Arrays.fill(extras, 0, size, null);
            size = 0;
        }
    }

    /** Records {@code setter(index, value, extra...)}; an index below 1 is not a parameter and is ignored. */
    void put(Setter setter, int index, long valueBits, Object valueRef, Object[] extra, int valueHash) {
        if (index < 1) {
            return;
        }
        int i = index - 1;
        if (i >= setters.length) {
            grow(i + 1);
        }
        long h = BindHash.operation(setter.nameHash, index, valueHash);
        if (setters[i] == null) {
            addToOrder(index);
        } else {
            hashSum -= hashes[i];
        }
        setters[i] = setter;
        bits[i] = valueBits;
        refs[i] = valueRef;
        hashes[i] = h;
        hashSum += h;
        if (extra != null || extras != null) {
            if (extras == null) {
                extras = new Object[setters.length][];
            }
            extras[i] = extra;
        }
    }

    /** Records {@code setter(name, value, extra...)}. */
    void put(Setter setter, String name, long valueBits, Object valueRef, Object[] extra, int valueHash) {
        if (name == null) {
            return;
        }
        if (named == null) {
            named = new Named();
        }
        int i = named.slot(name);
        long h = BindHash.operation(setter.nameHash, name.hashCode(), valueHash);
        if (i < 0) {
            i = named.add(name);
            addToOrder(-(i + 1));
        } else {
            hashSum -= named.hashes[i];
        }
        named.setters[i] = setter;
        named.bits[i] = valueBits;
        named.refs[i] = valueRef;
        named.extras[i] = extra;
        named.hashes[i] = h;
        hashSum += h;
    }

    private void addToOrder(int key) {
        if (count == order.length) {
            order = Arrays.copyOf(order, Math.max(INITIAL_CAPACITY, count * 2));
        }
        order[count++] = key;
    }

    private void grow(int min) {
        int n = Math.max(Math.max(INITIAL_CAPACITY, setters.length * 2), min);
        setters = Arrays.copyOf(setters, n);
        bits = Arrays.copyOf(bits, n);
        refs = Arrays.copyOf(refs, n);
        hashes = Arrays.copyOf(hashes, n);
        if (extras != null) {
            extras = Arrays.copyOf(extras, n);
        }
    }

    /** The sum of the {@link BindHash} of every parameter set; 0 when none is. */
    long hashSum() {
        return hashSum;
    }

    /**
     * {@link #hashSum()} without the parameters at the given indexes: bit {@code b} of {@code indexMask} stands for
     * parameter index {@code b + 1} (the first 64 only); parameters set by name are always included.
     */
    long hashSumExcept(long indexMask) {
        long sum = hashSum;
        long mask = indexMask;
        while (mask != 0) {
            int i = Long.numberOfTrailingZeros(mask);
            mask &= mask - 1;
            if (i < setters.length && setters[i] != null) {
                sum -= hashes[i];
            }
        }
        return sum;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Slots in use, for deciding whether the arrays are worth keeping for the next statement. */
    int capacity() {
        return setters.length;
    }

    /** Forgets every parameter ({@code clearParameters}, {@code addBatch}, or before reuse). */
    void clear() {
        for (int k = 0; k < count; k++) {
            int key = order[k];
            if (key > 0) {
                int i = key - 1;
                setters[i] = null;
                refs[i] = null;
                if (extras != null) {
                    extras[i] = null;
                }
            }
        }
        if (named != null) {
            named.clear();
        }
        count = 0;
        hashSum = 0;
    }

    /** A copy of the parameters as they are now, for a batch row; sized to what is set. */
    BindValues copy() {
        BindValues c = new BindValues();
        if (count == 0) {
            return c;
        }
        int n = 0;
        for (int k = 0; k < count; k++) {
            n = Math.max(n, order[k]);
        }
        c.setters = Arrays.copyOf(setters, n);
        c.bits = Arrays.copyOf(bits, n);
        c.refs = Arrays.copyOf(refs, n);
        c.hashes = Arrays.copyOf(hashes, n);
        c.extras = extras == null ? null : Arrays.copyOf(extras, n);
        c.order = Arrays.copyOf(order, count);
        c.count = count;
        c.hashSum = hashSum;
        if (named != null && named.size > 0) {
            Named m = new Named();
            m.names = named.names.clone();
            m.setters = named.setters.clone();
            m.bits = named.bits.clone();
            m.refs = named.refs.clone();
            m.extras = named.extras.clone();
            m.hashes = named.hashes.clone();
            m.size = named.size;
            c.named = m;
        }
        return c;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public int parameterIndex(int k) {
        return Math.max(order[k], 0);
    }

    @Override
    public long hash(int k) {
        int key = order[k];
        return key > 0 ? hashes[key - 1] : named.hashes[-key - 1];
    }

    @Override
    public boolean isNull(int k) {
        int key = order[k];
        Setter setter = key > 0 ? setters[key - 1] : named.setters[-key - 1];
        return setter.methodName.equals("setNull") || (setter.valueKind == Setter.ValueKind.OBJECT && value(k) == null);
    }

    @Override
    public Object value(int k) {
        int key = order[k];
        return key > 0 ? refs[key - 1] : named.refs[-key - 1];
    }

    /** datasource-proxy's record of the calls, in the order the keys were first set. */
    List<ParameterSetOperation> toOperations() {
        List<ParameterSetOperation> ops = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            int key = order[k];
            if (key > 0) {
                int i = key - 1;
                ops.add(operation(setters[i], key, bits[i], refs[i], extras == null ? null : extras[i]));
            } else {
                int i = -key - 1;
                ops.add(operation(named.setters[i], named.names[i], named.bits[i], named.refs[i], named.extras[i]));
            }
        }
        return ops;
    }

    private static ParameterSetOperation operation(Setter setter, Object key, long valueBits, Object valueRef,
                                                   Object[] extra) {
        int extraCount = extra == null ? 0 : extra.length;
        Object[] args = new Object[2 + extraCount];
        args[0] = key;
        args[1] = setter.value(valueBits, valueRef);
        if (extraCount > 0) {
            System.arraycopy(extra, 0, args, 2, extraCount);
        }
        return new ParameterSetOperation(setter.method(), args);
    }
}
