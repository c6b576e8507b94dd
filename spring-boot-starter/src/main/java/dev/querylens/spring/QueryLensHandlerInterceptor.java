package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import dev.querylens.core.web.RequestUnits;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;

/**
 * Names the request's unit of work by its route template as soon as Spring MVC has chosen the handler, before the
 * handler runs, so that whatever is recorded while its statements run (the EXPLAIN sampler's samples) carries the
 * route rather than the provisional {@code GET UNMATCHED}. Registered for every handler mapping, Actuator's too.
 * From {@code postHandle} (right before the view renders) to {@code afterCompletion}, statements that make a finding
 * name the handler method and say the load happened during view rendering.
 */
final class QueryLensHandlerInterceptor implements HandlerInterceptor {

    private final QueryLens lens;

    QueryLensHandlerInterceptor(QueryLens lens) {
        this.lens = lens;
    }

    @Override
    public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler,
                           ModelAndView modelAndView) {
        try {
            if (modelAndView != null && (modelAndView.hasView() || modelAndView.getViewName() != null)) {
                lens.viewRendering(handler);
            }
        } catch (Throwable t) {
            // a call site is lost at most; never fail the request
        }
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        lens.viewRendering(null);
    }

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
