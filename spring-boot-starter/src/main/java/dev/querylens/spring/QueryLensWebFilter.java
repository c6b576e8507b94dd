package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import dev.querylens.core.UnitOfWork;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

import java.io.IOException;
import java.util.Set;

/**
 * Makes each servlet request one unit of work, recorded under its method and Spring MVC route template, such as
 * {@code GET /owners/{ownerId}}. The route comes from {@link HandlerMapping#BEST_MATCHING_PATTERN_ATTRIBUTE}, which
 * Spring MVC sets once the handler is known: {@link QueryLensHandlerInterceptor} names the unit then, before the
 * handler runs (what is recorded while the statement runs, such as an EXPLAIN sample, gets the route), and this
 * filter names it again when the request ends (an error or a 404 can change the name). A request
 * no handler took (not found, rejected by a filter before Spring MVC) is recorded as {@code GET UNMATCHED}: the raw
 * path is never used, so the number of endpoint names stays bounded.
 * <p>
 * The unit ends in a {@code finally} block on every exit path, errors included. An async request is one unit per
 * dispatch (the first and the async re-dispatch), each on the thread that runs it; error dispatches are left out.
 */
public class QueryLensWebFilter extends OncePerRequestFilter {

    /** The endpoint suffix of requests that no handler mapping matched. */
    public static final String UNMATCHED = "UNMATCHED";

    /** Request attribute holding the open unit of work, for {@link QueryLensHandlerInterceptor}. */
    static final String WORK_ATTRIBUTE = QueryLensWebFilter.class.getName() + ".work";

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

    private final QueryLens lens;

    public QueryLensWebFilter(QueryLens lens) {
        this.lens = lens;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return lens.config().excludesPath(context != null && uri.startsWith(context) ? uri.substring(context.length()) : uri);
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        UnitOfWork work = lens.begin(method(request) + " " + UNMATCHED);
        try {
            request.setAttribute(WORK_ATTRIBUTE, work);
            chain.doFilter(request, response);
        } finally {
            try {
                request.removeAttribute(WORK_ATTRIBUTE);
                work.endpoint(endpoint(request, response));
            } catch (RuntimeException e) {
                // keep the name it has; never fail the request
            }
            work.close();
        }
    }

    /** Method and route template, or method and {@link #UNMATCHED}. */
    static String endpoint(HttpServletRequest request, HttpServletResponse response) {
        String method = method(request);
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (pattern == null) {
            return method + " " + UNMATCHED;
        }
        // Static resources are mapped to /**: a path no controller and no file matched ends there with a 404.
        if (response.getStatus() == HttpServletResponse.SC_NOT_FOUND
                && request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE) instanceof ResourceHttpRequestHandler) {
            return method + " " + UNMATCHED;
        }
        return method + " " + pattern;
    }

    private static String method(HttpServletRequest request) {
        String method = request.getMethod();
        return method != null && METHODS.contains(method) ? method : "OTHER";
    }
}
