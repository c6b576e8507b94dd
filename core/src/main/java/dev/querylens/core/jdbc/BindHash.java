package dev.querylens.core.jdbc;

import net.ttddyy.dsproxy.proxy.ParameterSetOperation;

import java.util.Arrays;

/**
 * The hash of one parameter-setting call ({@code setLong(1, 42)}, {@code setString("name", "x")}), summed per
 * execution to tell "same values" from "different values" without keeping the values. One definition for both
 * paths: {@link DelegatingJdbcProxyFactory}'s wrappers hash each value as it is set, and a
 * {@link ParameterSetOperation} recorded by datasource-proxy's own proxies is hashed with
 * {@link #of(ParameterSetOperation)}; the two agree bit for bit.
 */
public final class BindHash {

    /** Byte arrays up to this length are hashed by content; longer ones (and streams, LOBs) by identity. */
    static final int MAX_CONTENT_HASHED_BYTES = 4096;

    private BindHash() {
    }

    /**
     * The hash of a setter call: its method name, its key (parameter index or name) and its value.
     *
     * @param methodNameHash {@code String.hashCode()} of the setter's name
     * @param keyHash        the parameter index, or {@code String.hashCode()} of the parameter name
     * @param valueHash      {@link #of(Object)} of the value (for a primitive, its box's {@code hashCode})
     */
    public static long operation(int methodNameHash, int keyHash, int valueHash) {
        return mix(methodNameHash * 31L + keyHash) ^ mix(valueHash);
    }

    /** {@link #operation} of a recorded setter call; 0 for a call without arguments (which is never recorded). */
    public static long of(ParameterSetOperation op) {
        Object[] args = op.getArgs();
        if (args == null || args.length == 0) {
            return 0;
        }
        return operation(op.getMethod().getName().hashCode(), of(args[0]), args.length > 1 ? of(args[1]) : 0);
    }

    /** Value hash for plain values; identity for streams, LOBs and other objects whose own hash may be costly. */
    public static int of(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof Character
                || v instanceof java.util.Date || v instanceof java.time.temporal.TemporalAccessor
                || v instanceof java.util.UUID || v instanceof Enum) {
            return v.hashCode();
        }
        if (v instanceof byte[] bytes) {
            return bytes.length <= MAX_CONTENT_HASHED_BYTES ? Arrays.hashCode(bytes) : System.identityHashCode(bytes);
        }
        return System.identityHashCode(v);
    }

    /** A 64-bit finaliser (from SplitMix64) so that sums of hashes do not cancel out. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
