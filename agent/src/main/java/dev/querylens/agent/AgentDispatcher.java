package dev.querylens.agent;

import dev.querylens.agent.hooks.Dispatcher;
import dev.querylens.core.QueryLens;
import dev.querylens.core.web.RequestUnits;

import javax.sql.DataSource;
import java.sql.Connection;

/** The agent's side of {@link dev.querylens.agent.hooks.Hooks}: wraps connections, runs units of work. */
final class AgentDispatcher extends Dispatcher {

    private static final StackWalker STACK = StackWalker.getInstance();
    private static final int MAX_STACK_DEPTH = 64;

    private record ClassInfo(DataSourceKind kind, String name) {
    }

    private static final ClassValue<ClassInfo> DATA_SOURCES = new ClassValue<>() {
        @Override
        protected ClassInfo computeValue(Class<?> type) {
            return new ClassInfo(DataSourceKind.of(type), type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName());
        }
    };

    private final QueryLens lens;
    private final RequestUnits<Object, Object> requests;
    /** Set once the application's own Querylens shows up: from then on the agent wraps and begins nothing. */
    private volatile boolean asideForApplicationsOwn;

    AgentDispatcher(QueryLens lens) {
        this.lens = lens;
        this.requests = new RequestUnits<>(lens, ServletRequests.INSTANCE);
    }

    /** Makes the agent step aside; true the first time. */
    synchronized boolean stepAside() {
        if (asideForApplicationsOwn) {
            return false;
        }
        asideForApplicationsOwn = true;
        return true;
    }

    @Override
    public Object connection(Object dataSource, Object connection) {
        if (asideForApplicationsOwn || !(connection instanceof Connection c) || !(dataSource instanceof DataSource origin)) {
            // not a DataSource: a ConnectionPoolDataSource or XADataSource sharing a base class with one
            return connection;
        }
        ClassInfo info = DATA_SOURCES.get(dataSource.getClass());
        switch (info.kind()) {
            case NEVER:
                return connection;
            case WRAP_UNLESS_POOL_ON_STACK:
                if (poolOnStack()) {
                    return connection;
                }
                break;
            default:
                break;
        }
        // the DataSource is named per instance: the EXPLAIN sampler takes connections of its own from it
        return lens.wrapConnection(c, info.name() + "@" + Integer.toHexString(System.identityHashCode(origin)), origin);
    }

    private static boolean poolOnStack() {
        return STACK.walk(frames -> frames.limit(MAX_STACK_DEPTH)
                .anyMatch(f -> DataSourceKind.isPoolFrame(f.getClassName())));
    }

    @Override
    public Object beginRequest(Object request) {
        if (asideForApplicationsOwn || !ServletRequests.isHttp(request)) {
            return null;
        }
        return requests.enter(request);
    }

    @Override
    public void endRequest(Object token, Object request, Object response) {
        requests.exit(token, request, response);
    }
}
