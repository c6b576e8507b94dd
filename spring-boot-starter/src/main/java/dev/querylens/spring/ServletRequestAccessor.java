package dev.querylens.spring;

import dev.querylens.core.web.HttpRequestAccessor;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The starter's view of a {@code jakarta.servlet} request for core's {@link dev.querylens.core.web.RequestUnits}. */
final class ServletRequestAccessor implements HttpRequestAccessor<HttpServletRequest, HttpServletResponse> {

    static final ServletRequestAccessor INSTANCE = new ServletRequestAccessor();

    private ServletRequestAccessor() {
    }

    @Override
    public String method(HttpServletRequest request) {
        return request.getMethod();
    }

    @Override
    public String requestUri(HttpServletRequest request) {
        return request.getRequestURI();
    }

    @Override
    public String contextPath(HttpServletRequest request) {
        return request.getContextPath();
    }

    @Override
    public Object attribute(HttpServletRequest request, String name) {
        return request.getAttribute(name);
    }

    @Override
    public String servletPattern(HttpServletRequest request) {
        try {
            HttpServletMapping mapping = request.getHttpServletMapping();
            return mapping == null ? null : mapping.getPattern();
        } catch (RuntimeException | AbstractMethodError e) {
            // a request wrapper of an older API level
            return null;
        }
    }

    @Override
    public boolean isErrorDispatch(HttpServletRequest request) {
        return request.getDispatcherType() == DispatcherType.ERROR;
    }

    @Override
    public int status(HttpServletResponse response) {
        return response.getStatus();
    }
}
