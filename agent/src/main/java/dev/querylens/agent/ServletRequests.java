package dev.querylens.agent;

import java.lang.reflect.Method;

/**
 * Reads an {@code HttpServletRequest} of either servlet API (jakarta or javax) by reflection, so the agent jar needs
 * no servlet API. The methods are looked up once per request class.
 */
final class ServletRequests {

    static final String BEST_MATCHING_PATTERN = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

    /** The methods of one request class, or {@link #NONE} when it is not an HTTP servlet request. */
    record Access(Method method, Method requestUri, Method contextPath, Method attribute) {
    }

    static final Access NONE = new Access(null, null, null, null);

    private static final ClassValue<Access> ACCESS = new ClassValue<>() {
        @Override
        protected Access computeValue(Class<?> type) {
            Class<?> api = find(type);
            if (api == null) {
                return NONE;
            }
            try {
                return new Access(api.getMethod("getMethod"), api.getMethod("getRequestURI"),
                        api.getMethod("getContextPath"), api.getMethod("getAttribute", String.class));
            } catch (NoSuchMethodException e) {
                return NONE;
            }
        }
    };

    private ServletRequests() {
    }

    static Access access(Object request) {
        return request == null ? NONE : ACCESS.get(request.getClass());
    }

    private static Class<?> find(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                Class<?> found = findInterface(i);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static Class<?> findInterface(Class<?> i) {
        String name = i.getName();
        if (name.equals("jakarta.servlet.http.HttpServletRequest") || name.equals("javax.servlet.http.HttpServletRequest")) {
            return i;
        }
        for (Class<?> parent : i.getInterfaces()) {
            Class<?> found = findInterface(parent);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The path inside the application: the request URI without the context path. */
    static String path(Access a, Object request) throws ReflectiveOperationException {
        String uri = (String) a.requestUri().invoke(request);
        String context = (String) a.contextPath().invoke(request);
        if (uri == null) {
            return "/";
        }
        if (context != null && !context.isEmpty() && uri.startsWith(context)) {
            uri = uri.substring(context.length());
        }
        return uri;
    }
}
