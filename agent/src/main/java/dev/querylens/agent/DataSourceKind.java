package dev.querylens.agent;

/**
 * What the agent does with the connections a {@code DataSource} class returns from the outermost
 * {@code getConnection} on a thread. Decided once per class, by name.
 */
enum DataSourceKind {
    /** A connection pool's (or a routing wrapper's) outer DataSource: the application's own connections. Wrap. */
    WRAP,
    /**
     * A DataSource that may be a pool's source of physical connections (a driver's DataSource, Spring's
     * DriverManagerDataSource, anything unknown): wrap, unless a pool is on the stack, which means the pool is opening
     * a connection for itself. Its {@code getConnection} opens a physical connection, so a short stack walk is cheap.
     */
    WRAP_UNLESS_POOL_ON_STACK,
    /** Never wrap: a pool's internal driver DataSource, or a lazy proxy whose target is wrapped when it is used. */
    NEVER;

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

    /** Frames that show a pool opening a physical connection for itself. */
    private static final String[] POOL_FRAME_PREFIXES = {
            "com.zaxxer.hikari.pool.",
            "org.apache.tomcat.jdbc.pool.",
            "org.apache.commons.dbcp2.",
            "org.apache.commons.dbcp.",
            "org.apache.commons.pool2.",
            "org.apache.tomcat.dbcp.",
            "com.mchange.v2.",
            "io.agroal.",
            "org.vibur.",
            "com.alibaba.druid.pool.",
            "oracle.ucp.",
    };

    private static final String[] NEVER_CLASSES = {
            "com.zaxxer.hikari.util.DriverDataSource",
            "org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy",
            "org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy",
    };

    /** Outer wrappers that hand out another DataSource's connections on the calling thread. */
    private static final String[] WRAPPER_CLASSES = {
            "org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource",
            "org.springframework.jdbc.datasource.DelegatingDataSource",
    };

    static DataSourceKind of(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            String name = c.getName();
            for (String never : NEVER_CLASSES) {
                if (name.equals(never)) {
                    return NEVER;
                }
            }
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            String name = c.getName();
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

    static boolean isPoolFrame(String className) {
        for (String prefix : POOL_FRAME_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
