package dev.querylens.core.web;

import dev.querylens.core.QueryLens;
import dev.querylens.core.UnitOfWork;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * HTTP requests as units of work, for every mode: the agent's servlet advice and the starter's filter call
 * {@link #enter} when a dispatch starts and {@link #exit} on every way out of it, errors included. Only the
 * outermost dispatch on a thread acts (filters and servlets nest); an error dispatch is no unit of its own; a
 * request under {@code querylens.web.exclude-paths} (compared after {@link RequestPaths#normalize normalisation}) is
 * no unit. The unit begins as {@code <METHOD> UNMATCHED} and is named by {@link HttpEndpoints} when the handler is
 * known ({@link #handlerChosen}) and again when the dispatch ends. Never throws.
 *
 * @param <Q> the request type
 * @param <R> the response type
 */
public final class RequestUnits<Q, R> {

    /** The token of a dispatch inside another one on the same thread. */
    private static final Object NESTED = new Object();
    /** The token of an outermost dispatch that is no unit of work (excluded, an error dispatch, a failure). */
    private static final Object NO_UNIT = new Object();

    /** Dispatch depth and the open unit of the outermost dispatch, per thread; removed when the request ends. */
    private final class Dispatch {
        int depth;
        UnitOfWork unit;
        Naming naming;
    }

    /** A route and the endpoint it names, kept together: read by the request's thread and the unit's. */
    private record Named(String route, String endpoint) {
    }

    /**
     * Names the outermost dispatch's request as it stands, for its unit's {@link UnitOfWork#endpointSoFar} and its
     * end. The method is read once, when the request begins; the name of the route read last is kept, so that the
     * lookups of a request whose route is known build no string and read one attribute.
     */
    private final class Naming implements Supplier<String> {
        private final Q request;
        private final String method;
        private volatile Named last;

        Naming(Q request, String method) {
            this.request = request;
            this.method = method;
        }

        @Override
        public String get() {
            return name(null);
        }

        String name(R response) {
            String route = accessor.route(request);
            Named named = last;
            if (named != null && named.route == route) {
                return named.endpoint;
            }
            String routed = HttpEndpoints.routed(method, route);
            if (routed == null) {
                return unrouted(request, response, method);
            }
            last = new Named(route, routed);
            return routed;
        }
    }

    private final QueryLens lens;
    private final HttpRequestAccessor<Q, R> accessor;
    /** The normalised {@code querylens.web.exclude-paths}, without a trailing slash (but for {@code /}). */
    private final List<String> excluded;
    private final ThreadLocal<Dispatch> dispatch = ThreadLocal.withInitial(Dispatch::new);

    public RequestUnits(QueryLens lens, HttpRequestAccessor<Q, R> accessor) {
        this.lens = lens;
        this.accessor = accessor;
        List<String> prefixes = new ArrayList<>();
        for (String prefix : lens.config().webExcludePaths()) {
            String p = RequestPaths.normalize(prefix);
            // RequestPaths.under would cut the slash off on every request
            prefixes.add(p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p);
        }
        this.excluded = List.copyOf(prefixes);
    }

    /**
     * A dispatch of {@code request} starts on this thread. Returns the token to hand to {@link #exit}; never
     * {@code null}.
     */
    public Object enter(Q request) {
        Dispatch d;
        try {
            d = dispatch.get();
        } catch (Throwable t) {
            return NO_UNIT;
        }
        if (d.depth++ > 0) {
            return NESTED;
        }
        try {
            if (!lens.config().enabled() || accessor.isErrorDispatch(request) || isExcluded(request)) {
                return NO_UNIT;
            }
            String method = HttpEndpoints.method(accessor.method(request));
            UnitOfWork unit = lens.begin(HttpEndpoints.unmatched(method));
            Naming naming = new Naming(request, method);
            // the route is chosen later: a finding made meanwhile is looked up under the name as it stands then
            unit.endpointSoFar(naming);
            d.unit = unit;
            d.naming = naming;
            return unit;
        } catch (Throwable t) {
            return NO_UNIT;
        }
    }

    /** Whether {@code request} lies under {@code querylens.web.exclude-paths}. */
    public boolean isExcluded(Q request) {
        return !excluded.isEmpty() && RequestPaths.under(path(request), excluded);
    }

    /** Names the open unit of this thread's request by its route, once the framework has chosen the handler. */
    public void handlerChosen(Q request, R response) {
        try {
            UnitOfWork unit = dispatch.get().unit;
            if (unit != null) {
                unit.endpoint(endpoint(request, response));
            }
        } catch (Throwable t) {
            // the unit is named again when the dispatch ends
        }
    }

    /** The dispatch that {@link #enter} returned {@code token} for ends, normally or not. */
    public void exit(Object token, Q request, R response) {
        if (token == null) {
            return;
        }
        Dispatch d = null;
        try {
            d = dispatch.get();
            d.depth--;
            if (token == NESTED || token == NO_UNIT || !(token instanceof UnitOfWork unit)) {
                return;
            }
            Naming naming = d.naming;
            d.unit = null;
            d.naming = null;
            try {
                unit.endpoint(naming != null ? naming.name(response) : endpoint(request, response));
            } finally {
                unit.close();
            }
        } catch (Throwable t) {
            // never reaches the application
        } finally {
            if (d != null && d.depth <= 0) {
                // nothing stays on the thread between requests: no class loader is pinned by a pooled thread
                dispatch.remove();
            }
        }
    }

    /** The endpoint of {@code request} as it stands: see {@link HttpEndpoints#name}. */
    public String endpoint(Q request, R response) {
        String method = accessor.method(request);
        String routed = HttpEndpoints.routed(method, accessor.route(request));
        return routed != null ? routed : unrouted(request, response, method);
    }

    /**
     * {@link HttpEndpoints#name} of a request without a route; what it does not need (the path and mapping of a
     * request the framework saw) is not read.
     */
    private String unrouted(Q request, R response, String method) {
        if (accessor.dispatchedByFramework(request)) {
            return HttpEndpoints.unmatched(method);
        }
        return HttpEndpoints.name(method, path(request), null, false, accessor.servletPattern(request),
                response == null ? 0 : accessor.status(response));
    }

    private String path(Q request) {
        return RequestPaths.withinApplication(accessor.requestUri(request), accessor.contextPath(request));
    }
}
