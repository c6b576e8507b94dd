package dev.querylens.core.jdbc;

import net.ttddyy.dsproxy.ConnectionInfo;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.StatementType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Method;
import java.sql.Statement;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The listener arguments of one execution: an {@link ExecutionInfo} and the {@link QueryInfo} list, filled for
 * each execution. A connection keeps one and reuses it; while it is in use (a listener that runs SQL on the same
 * connection, or two threads sharing a connection), another execution gets a fresh one, so an instance never
 * serves two executions at once.
 */
final class Execution {

    private static final VarHandle BUSY;

    static {
        try {
            BUSY = MethodHandles.lookup().findVarHandle(Execution.class, "busy", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Info info = new Info();
    final BoundQueryInfo query = new BoundQueryInfo();
    private final List<QueryInfo> single = Collections.singletonList(query);
    /** What the listeners get: {@link #single}, or the queries of a plain statement's batch. */
    List<QueryInfo> queries = single;
    /** A batch's rows, given back to their connection once the listeners are done with them. */
    private List<BindValues> rows;
    private DelegatingConnection rowsOwner;
    private Object[] oneArgument;
    private Object[] twoArguments;
    @SuppressWarnings("unused") // through BUSY
    private volatile int busy;

    /** Takes this instance for one execution; false while another execution holds it. */
    boolean tryAcquire() {
        return BUSY.compareAndSet(this, 0, 1);
    }

    void giveBackAfterwards(List<BindValues> batchRows, DelegatingConnection owner) {
        this.rows = batchRows;
        this.rowsOwner = owner;
    }

    /** Empties what would keep the execution's objects reachable, and gives the instance back. */
    void release() {
        info.forget();
        query.reset(null, null, null);
        if (rows != null) {
            List<BindValues> done = rows;
            rows = null;
            rowsOwner.giveBackRows(done);
            rowsOwner = null;
        }
        queries = single;
        if (oneArgument != null) {
            oneArgument[0] = null;
        }
        if (twoArguments != null) {
            twoArguments[0] = null;
            twoArguments[1] = null;
        }
        BUSY.setRelease(this, 0);
    }

    Object[] arguments(Object first) {
        Object[] a = oneArgument;
        if (a == null) {
            a = oneArgument = new Object[1];
        }
        a[0] = first;
        return a;
    }

    Object[] arguments(Object first, Object second) {
        Object[] a = twoArguments;
        if (a == null) {
            a = twoArguments = new Object[2];
        }
        a[0] = first;
        a[1] = second;
        return a;
    }

    /** Fills the execution's description as datasource-proxy does before calling {@code beforeQuery}. */
    void start(ConnectionInfo connection, Statement statement, Method method, Object[] args, boolean batch,
               int batchSize) {
        Info i = info;
        i.setDataSourceName(connection.getDataSourceName());
        i.setConnectionId(connection.getConnectionId());
        i.setIsolationLevel(connection.getIsolationLevel());
        i.setStatement(statement);
        i.setStatementType(StatementType.valueOf(statement));
        i.setMethod(method);
        i.setMethodArgs(args);
        i.setBatch(batch);
        i.setBatchSize(batchSize);
        i.setResult(null);
        i.setThrowable(null);
        i.setElapsedTime(0);
        i.setSuccess(false);
        i.setGeneratedKeys(null);
        i.clearCustomValues();
    }

    /**
     * datasource-proxy's {@link ExecutionInfo} with custom values that can be emptied between executions (the
     * superclass's map cannot), created on the first {@link #addCustomValue}.
     */
    static final class Info extends ExecutionInfo {
        private Map<String, Object> customValues;

        @Override
        public void addCustomValue(String key, Object value) {
            if (customValues == null) {
                customValues = new HashMap<>();
            }
            customValues.put(key, value);
        }

        @Override
        public <T> T getCustomValue(String key, Class<T> type) {
            return customValues == null ? null : type.cast(customValues.get(key));
        }

        void clearCustomValues() {
            if (customValues != null && !customValues.isEmpty()) {
                customValues.clear();
            }
        }

        void forget() {
            setStatement(null);
            setMethodArgs(null);
            setResult(null);
            setThrowable(null);
            setGeneratedKeys(null);
            clearCustomValues();
        }
    }
}
