package dev.querylens.core.web;

/**
 * What Querylens reads of one HTTP request and its response. Each mode implements it over the servlet API it sees
 * (the starter with typed {@code jakarta.servlet} calls, the agent by reflection over either servlet API); the
 * naming, the exclusion and the unit of work's life are {@link RequestUnits}'s. Implementations never throw for a
 * value they cannot read: they answer {@code null} (or {@code 0} for the status).
 *
 * @param <Q> the request type
 * @param <R> the response type
 */
public interface HttpRequestAccessor<Q, R> {

    /** The HTTP method as sent. */
    String method(Q request);

    /** The request URI as sent, without the query string. */
    String requestUri(Q request);

    /** The context path of the application that serves the request; empty for the root. */
    String contextPath(Q request);

    /** A request attribute, or {@code null}. */
    Object attribute(Q request, String name);

    /**
     * The route template the web framework chose for the request, or {@code null} when none did (yet). By default
     * Spring MVC's best matching pattern; a framework of another kind overrides it.
     */
    default String route(Q request) {
        return attribute(request, HttpEndpoints.SPRING_BEST_MATCHING_PATTERN) instanceof String route ? route : null;
    }

    /**
     * True when a routing framework dispatched the request, so that no {@link #route} means it found no handler. By
     * default: Spring's {@code DispatcherServlet} saw it.
     */
    default boolean dispatchedByFramework(Q request) {
        return attribute(request, HttpEndpoints.SPRING_DISPATCHER_CONTEXT) != null;
    }

    /**
     * The pattern of the servlet mapping that took the request ({@code HttpServletMapping.getPattern()}:
     * {@code /shops/*}, {@code /stats}, {@code *.do}, {@code /}, or empty for the context root), or {@code null}
     * where the servlet API has none (before Servlet 4.0).
     */
    String servletPattern(Q request);

    /** True for an error dispatch (the container forwarding to an error page). */
    boolean isErrorDispatch(Q request);

    /** The response status set so far; {@code 0} when unknown. */
    int status(R response);
}
