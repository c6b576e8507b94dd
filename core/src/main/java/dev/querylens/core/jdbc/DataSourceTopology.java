package dev.querylens.core.jdbc;

/**
 * Which DataSource wraps the connections it hands out and which passes them through, so that every statement is
 * counted once however DataSources nest (a pool over a driver DataSource, routing and lazy-connection wrappers):
 * <ul>
 * <li>only the outermost {@code getConnection} on a thread wraps ({@link #enterGetConnection()} /
 *     {@link #exitGetConnection()}): a DataSource that calls another one's from within its own counts once;</li>
 * <li>what a DataSource class does with the connection of an outermost call is its {@link Role}, decided once per
 *     class by name ({@link #of(Class)}).</li>
 * </ul>
 * Used by the agent for every DataSource class and by the starter for DataSource beans. Thread-safe.
 */
public enum DataSourceTopology {
    /** A connection pool's (or a routing wrapper's) outer DataSource: the application's own connections. Wrap. */
    WRAP,
    /**
     * A DataSource that may be a pool's source of physical connections (a driver's DataSource, Spring's
     * DriverManagerDataSource, anything unknown): wrap, unless a pool is on the stack, which means the pool is opening
     * a connection for itself. Its {@code getConnection} opens a physical connection, so a short stack walk is cheap.
     */
    WRAP_UNLESS_POOL_ON_STACK,
    /**
     * Pass the connection through unwrapped: a pool's internal driver DataSource (the pool opens connections for
     * itself), or a lazy or transaction-aware proxy whose target DataSource wraps when it is used.
     */
    PASS_THROUGH;

    private static final String[] POOL_PACKAGES = {
            "com.zaxxer.hikari.",
            "org.apache.tomcat.jdbc.pool.",
            "org.apache.commons.dbcp2.",
            "org.apache.commons.dbcp.",
            "org.apache.tomcat.dbcp.",
            "com.mchange.v2.c3p0.",
            "io.agroal.",
            "org.vibur.dbcp.",
            "com.alibaba.druid.pool.",
            "oracle.ucp.",
    };

    /**
     * Frames that show a pool opening a physical connection for itself. c3p0's by its pool machinery only, not its
     * whole package: its {@code DriverManagerDataSource} is also an application's DataSource of its own (an unpooled
     * one), and its frame is on the stack of every call to it.
     */
    private static final String[] POOL_FRAME_PREFIXES = {
            "com.zaxxer.hikari.pool.",
            "org.apache.tomcat.jdbc.pool.",
            "org.apache.commons.dbcp2.",
            "org.apache.commons.dbcp.",
            "org.apache.commons.pool2.",
            "org.apache.tomcat.dbcp.",
            "com.mchange.v2.resourcepool.",
            "com.mchange.v2.async.",
            "com.mchange.v2.c3p0.impl.",
            "com.mchange.v2.c3p0.WrapperConnectionPoolDataSource",
            "io.agroal.",
            "org.vibur.",
            "com.alibaba.druid.pool.",
            "oracle.ucp.",
    };

    private static final String[] PASS_THROUGH_CLASSES = {
            "com.zaxxer.hikari.util.DriverDataSource",
            "org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy",
            "org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy",
    };

    /**
     * Driver DataSources that live in a pool's package: what the pool opens its physical connections with (c3p0 on
     * its helper threads, which no application call encloses), yet also usable on their own. The rule for any driver
     * DataSource, not the pool package's.
     */
    private static final String[] DRIVER_CLASSES_IN_POOL_PACKAGES = {
            "com.mchange.v2.c3p0.DriverManagerDataSource",
            "com.mchange.v2.c3p0.JndiRefForwardingDataSource",
    };

    /** Outer wrappers that hand out another DataSource's connections on the calling thread. */
    private static final String[] WRAPPER_CLASSES = {
            "org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource",
            "org.springframework.jdbc.datasource.DelegatingDataSource",
    };

    /**
     * Wrappers whose target depends on the calling thread (a tenant, a read replica, a transaction's routing key):
     * a connection taken from one on another thread would be the default target's.
     */
    private static final String[] THREAD_ROUTED_CLASSES = {
            "org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource",
    };

    private static final ThreadLocal<int[]> GET_CONNECTION_DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private static final StackWalker STACK = StackWalker.getInstance();
    /** Frames looked at for a pool opening a connection for itself. */
    private static final int MAX_STACK_DEPTH = 64;

    /** A {@code getConnection} starts on this thread; true when it is the outermost one. */
    public static boolean enterGetConnection() {
        return GET_CONNECTION_DEPTH.get()[0]++ == 0;
    }

    /** A {@code getConnection} that {@link #enterGetConnection()} saw ends; true when it was the outermost one. */
    public static boolean exitGetConnection() {
        int[] depth = GET_CONNECTION_DEPTH.get();
        if (depth[0] > 0) {
            depth[0]--;
        }
        return depth[0] == 0;
    }

    /** Whether the connection of an outermost {@code getConnection} of {@code type} is wrapped on this thread now. */
    public static boolean wraps(Class<?> type) {
        return switch (of(type)) {
            case WRAP -> true;
            case PASS_THROUGH -> false;
            case WRAP_UNLESS_POOL_ON_STACK -> !poolOnStack();
        };
    }

    private static final ClassValue<DataSourceTopology> ROLES = new ClassValue<>() {
        @Override
        protected DataSourceTopology computeValue(Class<?> type) {
            return decide(type);
        }
    };

    /** What {@code type} does with the connection of an outermost {@code getConnection}; cached per class. */
    public static DataSourceTopology of(Class<?> type) {
        return ROLES.get(type);
    }

    private static DataSourceTopology decide(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            String name = c.getName();
            for (String passThrough : PASS_THROUGH_CLASSES) {
                if (name.equals(passThrough)) {
                    return PASS_THROUGH;
                }
            }
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            String name = c.getName();
            for (String driver : DRIVER_CLASSES_IN_POOL_PACKAGES) {
                if (name.equals(driver)) {
                    return WRAP_UNLESS_POOL_ON_STACK;
                }
            }
            for (String pool : POOL_PACKAGES) {
                if (name.startsWith(pool)) {
                    return WRAP;
                }
            }
            for (String wrapper : WRAPPER_CLASSES) {
                if (name.equals(wrapper)) {
                    return WRAP;
                }
            }
        }
        return WRAP_UNLESS_POOL_ON_STACK;
    }

    /**
     * True when {@code type} picks the DataSource it hands connections from by the calling thread (Spring's
     * {@code AbstractRoutingDataSource} and its subclasses, found by name): Querylens never takes a connection
     * from one on a thread of its own.
     */
    public static boolean routesByThread(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (String routed : THREAD_ROUTED_CLASSES) {
                if (c.getName().equals(routed)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True when a connection pool is on the stack: it is opening a physical connection for itself. */
    static boolean poolOnStack() {
        return STACK.walk(frames -> frames.limit(MAX_STACK_DEPTH).anyMatch(f -> isPoolFrame(f.getClassName())));
    }

    static boolean isPoolFrame(String className) {
        for (String prefix : POOL_FRAME_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
