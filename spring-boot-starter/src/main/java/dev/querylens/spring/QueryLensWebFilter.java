package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import dev.querylens.core.web.HttpEndpoints;
import dev.querylens.core.web.RequestUnits;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Makes each servlet request one unit of work, named as core's {@link HttpEndpoints} says: method and Spring MVC
 * route template ({@code GET /owners/{ownerId}}), {@code <METHOD> UNMATCHED} for a request no handler took, a plain
 * servlet's mapping plus the templated path below it. {@link QueryLensHandlerInterceptor} names the unit as soon as
 * the handler is chosen, before it runs (what is recorded while its statements run, such as an EXPLAIN sample, gets
 * the route); this filter names it again when the request ends. Exclusion, naming and the unit's life are core's
 * ({@link RequestUnits}), shared with the agent, so both modes give the same names.
 * <p>
 * The unit ends in a {@code finally} block on every exit path, errors included. An async request is one unit per
 * dispatch (the first and the async re-dispatch), each on the thread that runs it; error dispatches are left out.
 */
public class QueryLensWebFilter extends OncePerRequestFilter {

    /** The endpoint suffix of requests that no handler mapping matched. */
    public static final String UNMATCHED = HttpEndpoints.UNMATCHED;

    /** Request attribute holding the request units, for {@link QueryLensHandlerInterceptor}. */
    static final String UNITS_ATTRIBUTE = QueryLensWebFilter.class.getName() + ".units";

    private final QueryLens lens;
    private final RequestUnits<HttpServletRequest, HttpServletResponse> units;

    public QueryLensWebFilter(QueryLens lens) {
        this.lens = lens;
        this.units = new RequestUnits<>(lens, ServletRequestAccessor.INSTANCE);
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Object token = units.enter(request);
        try {
            request.setAttribute(UNITS_ATTRIBUTE, units);
        } catch (Throwable t) {
            // a request wrapper that refuses attributes: the handler interceptor cannot name the unit early, the
            // end of the dispatch still does
            FailOpen.report(lens, "web-filter", t);
        }
        try {
            chain.doFilter(request, response);
        } finally {
            try {
                request.removeAttribute(UNITS_ATTRIBUTE);
            } catch (Throwable t) {
                // a recycled request: the unit still ends below
            }
            units.exit(token, request, response);
        }
    }

    /** The endpoint {@code request} is recorded under as it stands. */
    String endpoint(HttpServletRequest request, HttpServletResponse response) {
        return units.endpoint(request, response);
    }
}
