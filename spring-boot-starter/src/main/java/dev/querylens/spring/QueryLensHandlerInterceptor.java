package dev.querylens.spring;

import dev.querylens.core.web.RequestUnits;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Names the request's unit of work by its route template as soon as Spring MVC has chosen the handler, before the
 * handler runs, so that whatever is recorded while its statements run (the EXPLAIN sampler's samples) carries the
 * route rather than the provisional {@code GET UNMATCHED}. Registered for every handler mapping, Actuator's too.
 */
final class QueryLensHandlerInterceptor implements HandlerInterceptor {

    @Override
    @SuppressWarnings("unchecked")
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        try {
            if (request.getAttribute(QueryLensWebFilter.UNITS_ATTRIBUTE) instanceof RequestUnits<?, ?> units) {
                ((RequestUnits<HttpServletRequest, HttpServletResponse>) units).handlerChosen(request, response);
            }
        } catch (Throwable t) {
            // the filter names the unit at the end anyway; never fail the request
        }
        return true;
    }
}
