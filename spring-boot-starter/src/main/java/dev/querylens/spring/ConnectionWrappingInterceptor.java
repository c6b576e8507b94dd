package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import dev.querylens.core.jdbc.DataSourceTopology;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.function.Supplier;

/**
 * Advice on one DataSource bean's {@code getConnection()} and {@code getConnection(user, password)}: hands the
 * connection to core, which wraps it so that its statements are recorded. Each statement is counted once:
 * <ul>
 * <li>a DataSource that delegates to another wrapped DataSource bean (routing, lazy-connection,
 *     transaction-aware, a pool over a DataSource bean) passes through: the bean that makes the connections wraps
 *     them ({@link #passThrough});</li>
 * <li>otherwise only the outermost {@code getConnection} on the thread's stack wraps, for DataSources that call
 *     another one's {@code getConnection} from within their own (core's {@link DataSourceTopology} guard, the
 *     agent's too);</li>
 * <li>core never wraps a connection that any copy of Querylens (the agent's included) already wrapped.</li>
 * </ul>
 * Never throws anything of its own: the application gets its connection, wrapped or not.
 */
final class ConnectionWrappingInterceptor implements MethodInterceptor {

    private final String beanName;
    private final Supplier<QueryLens> lens;
    private volatile boolean passThrough;

    ConnectionWrappingInterceptor(String beanName, Supplier<QueryLens> lens) {
        this.beanName = beanName;
        this.lens = lens;
    }

    boolean passThrough() {
        return passThrough;
    }

    /** Leaves this bean's connections to the wrapped DataSource bean it delegates to. */
    void passThrough(boolean passThrough) {
        this.passThrough = passThrough;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        if (passThrough || !"getConnection".equals(invocation.getMethod().getName())) {
            return invocation.proceed();
        }
        int depth = enter();
        Object result;
        try {
            result = invocation.proceed();
        } finally {
            exit(depth);
        }
        if (depth != OUTERMOST || !(result instanceof Connection connection)) {
            return result;
        }
        QueryLens queryLens = null;
        try {
            queryLens = lens.get();
            if (queryLens == null) {
                return connection;
            }
            // the bean itself, behind the proxy: where the EXPLAIN sampler takes connections of its own
            DataSource origin = invocation.getThis() instanceof DataSource target ? target : null;
            return queryLens.wrapConnection(connection, beanName, origin);
        } catch (Throwable t) {
            FailOpen.report(queryLens, "datasource-get-connection", t);
            return connection;
        }
    }

    private static final int NOT_COUNTED = 0;
    private static final int NESTED = 1;
    private static final int OUTERMOST = 2;

    /** Enters core's {@code getConnection} guard; {@link #NOT_COUNTED} when that failed. Never throws. */
    private static int enter() {
        try {
            return DataSourceTopology.enterGetConnection() ? OUTERMOST : NESTED;
        } catch (Throwable t) {
            FailOpen.report(null, "datasource-get-connection", t);
            return NOT_COUNTED;
        }
    }

    private static void exit(int depth) {
        if (depth == NOT_COUNTED) {
            return;
        }
        try {
            DataSourceTopology.exitGetConnection();
        } catch (Throwable t) {
            FailOpen.report(null, "datasource-get-connection", t);
        }
    }
}
