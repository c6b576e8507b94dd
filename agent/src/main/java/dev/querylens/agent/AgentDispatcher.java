package dev.querylens.agent;

import dev.querylens.agent.hooks.Dispatcher;
import dev.querylens.core.QueryLens;
import dev.querylens.core.jdbc.DataSourceTopology;
import dev.querylens.core.web.RequestUnits;

import javax.sql.DataSource;
import java.sql.Connection;

/** The agent's side of {@link dev.querylens.agent.hooks.Hooks}: wraps connections, runs units of work. */
final class AgentDispatcher extends Dispatcher {

    private final QueryLens lens;
    private final DataSourceNames dataSourceNames = new DataSourceNames();
    /** Connects the application's Micrometer at this dispatcher's safe points; {@code null} without the bridge. */
    private final MicrometerBridge bridge;
    private final RequestUnits<Object, Object> requests;
    /** Set once the application's own Querylens shows up: from then on the agent wraps and begins nothing. */
    private volatile boolean asideForApplicationsOwn;

    AgentDispatcher(QueryLens lens, MicrometerBridge bridge) {
        this.lens = lens;
        this.bridge = bridge;
        this.requests = new RequestUnits<>(lens, ServletRequests.INSTANCE);
    }

    /** True once the application's own Querylens showed up. */
    boolean asideForApplicationsOwn() {
        return asideForApplicationsOwn;
    }

    /** Makes the agent step aside; true the first time. */
    synchronized boolean stepAside() {
        if (asideForApplicationsOwn) {
            return false;
        }
        asideForApplicationsOwn = true;
        return true;
    }

    /**
     * Where the Micrometer bridge connects: on an application thread, outside any class definition, before the
     * statements of a request or a connection are counted.
     */
    private void safePoint() {
        if (bridge != null) {
            bridge.connectPending();
        }
    }

    @Override
    public Object connection(Object dataSource, Object connection) {
        safePoint();
        if (asideForApplicationsOwn || !(connection instanceof Connection c) || !(dataSource instanceof DataSource origin)) {
            // not a DataSource: a ConnectionPoolDataSource or XADataSource sharing a base class with one
            return connection;
        }
        if (!DataSourceTopology.wraps(dataSource.getClass())) {
            return connection;
        }
        // the DataSource is named per instance: the EXPLAIN sampler takes connections of its own from it
        return lens.wrapConnection(c, dataSourceNames.of(origin), origin);
    }

    @Override
    public Object beginRequest(Object request) {
        safePoint();
        if (asideForApplicationsOwn || !ServletRequests.isHttp(request)) {
            return null;
        }
        return requests.enter(request);
    }

    @Override
    public void endRequest(Object token, Object request, Object response) {
        requests.exit(token, request, response);
    }

    /** Spring MVC's request attribute holding the chosen handler (a {@code HandlerMethod} for a controller). */
    static final String BEST_MATCHING_HANDLER = "org.springframework.web.servlet.HandlerMapping.bestMatchingHandler";
    private static final Object RENDERING = new Object();

    @Override
    public Object beginViewRendering(Object request) {
        if (asideForApplicationsOwn || !lens.inUnitOfWork()) {
            return null;
        }
        Object handler = ServletRequests.INSTANCE.attribute(request, BEST_MATCHING_HANDLER);
        if (handler == null) {
            return null;
        }
        lens.viewRendering(handler);
        return RENDERING;
    }

    @Override
    public void endViewRendering(Object token) {
        lens.viewRendering(null);
    }
}
