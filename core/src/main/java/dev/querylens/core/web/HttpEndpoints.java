package dev.querylens.core.web;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The endpoint name of an HTTP request, the same in every mode: {@code <METHOD> <route>}.
 * <ul>
 * <li><b>Method.</b> A standard HTTP method as sent; any other (made up, or in lowercase) is {@code OTHER}.</li>
 * <li><b>Route.</b> The web framework's route template where there is one (Spring MVC's best matching pattern,
 *     such as {@code /owners/{ownerId}}). A static-resource catch-all ({@code /**}) is no route.</li>
 * <li><b>Unmatched.</b> A request with no route that ends with a client error (4xx: no handler found, 405 method
 *     not allowed, refused by a filter before routing), or that Spring MVC's dispatcher saw without choosing a
 *     handler, is {@code <METHOD> UNMATCHED}. Its path is never used, so random paths and made-up methods add at
 *     most one name per method.</li>
 * <li><b>Plain servlets.</b> Otherwise the route is the servlet mapping's pattern plus the path below it, with
 *     every segment that could carry an identifier or personal data replaced by {@code {id}}
 *     ({@link PathTemplates}): a servlet mapped to {@code /shops/*} gives {@code /shops/{id}/owners}.</li>
 * </ul>
 * Pure and thread-safe.
 */
public final class HttpEndpoints {

    /** The route of requests that no handler took. */
    public static final String UNMATCHED = "UNMATCHED";
    /** The method of requests with a method that is not a standard one. */
    public static final String OTHER_METHOD = "OTHER";

    /** Spring MVC's route template of the chosen handler ({@code HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE}). */
    public static final String SPRING_BEST_MATCHING_PATTERN = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";
    /** Set by Spring's {@code DispatcherServlet} on every request it dispatches. */
    public static final String SPRING_DISPATCHER_CONTEXT = "org.springframework.web.servlet.DispatcherServlet.CONTEXT";

    /** Characters of a framework route kept; route templates are written in code and are short. */
    static final int MAX_ROUTE_LENGTH = 256;

    private static final Set<String> METHODS = Set.of(
            "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");
    /** {@code <METHOD> UNMATCHED} of every method name {@link #method} gives: every request begins under one. */
    private static final Map<String, String> UNMATCHED_NAMES = unmatchedNames();

    private HttpEndpoints() {
    }

    /** {@code method} when it is a standard HTTP method, else {@code OTHER}. */
    public static String method(String method) {
        return method != null && METHODS.contains(method) ? method : OTHER_METHOD;
    }

    /** The provisional name of a request whose handler is not known yet. */
    public static String unmatched(String method) {
        return UNMATCHED_NAMES.get(method(method));
    }

    /**
     * The endpoint of a request whose framework chose {@code route}: {@code <METHOD> <route>}; {@code null} when
     * {@code route} is no route (none, empty, or the static-resource catch-all), and {@link #name} decides by the
     * rest.
     */
    public static String routed(String method, String route) {
        if (route == null || route.isEmpty() || route.equals("/**")) {
            return null;
        }
        return method(method) + " " + (route.length() > MAX_ROUTE_LENGTH ? route.substring(0, MAX_ROUTE_LENGTH) : route);
    }

    /**
     * The endpoint of a request.
     *
     * @param method         the HTTP method as sent
     * @param path           the normalised path inside the application ({@link RequestPaths#withinApplication})
     * @param route          the framework's route template, or {@code null}
     * @param frameworkSawIt whether a routing framework dispatched the request (and chose no handler if
     *                       {@code route} is {@code null})
     * @param servletPattern the servlet mapping's pattern, or {@code null} when unknown
     * @param status         the response status, {@code 0} when unknown
     */
    public static String name(String method, String path, String route, boolean frameworkSawIt, String servletPattern,
                              int status) {
        String routed = routed(method, route);
        if (routed != null) {
            return routed;
        }
        if (frameworkSawIt || (status >= 400 && status < 500)) {
            return unmatched(method);
        }
        return method(method) + " " + servletRoute(path, servletPattern);
    }

    private static Map<String, String> unmatchedNames() {
        Map<String, String> names = new HashMap<>();
        for (String m : METHODS) {
            names.put(m, m + " " + UNMATCHED);
        }
        names.put(OTHER_METHOD, OTHER_METHOD + " " + UNMATCHED);
        return Map.copyOf(names);
    }

    /** The servlet mapping's fixed part, then the templated path below it. */
    static String servletRoute(String path, String pattern) {
        if (pattern == null || pattern.equals("/") || pattern.startsWith("*.") || pattern.equals("/*")) {
            return PathTemplates.template(path);
        }
        if (pattern.isEmpty()) {
            return "/";
        }
        if (pattern.endsWith("/*")) {
            String prefix = pattern.substring(0, pattern.length() - 2);
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                String below = path.substring(prefix.length());
                return below.isEmpty() || below.equals("/") ? prefix + below : prefix + PathTemplates.template(below);
            }
            return PathTemplates.template(path);
        }
        // an exact mapping, written in code
        return pattern.length() > MAX_ROUTE_LENGTH ? pattern.substring(0, MAX_ROUTE_LENGTH) : pattern;
    }
}
