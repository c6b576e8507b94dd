package dev.querylens.agent;

import dev.querylens.core.web.HttpRequestAccessor;

import java.lang.reflect.Method;

/**
 * Reads an {@code HttpServletRequest} and {@code HttpServletResponse} of either servlet API (jakarta or javax) by
 * reflection, so the agent jar needs no servlet API. The methods are looked up once per class. What is read and what
 * it means is core's ({@link dev.querylens.core.web.RequestUnits}).
 */
final class ServletRequests implements HttpRequestAccessor<Object, Object> {

    static final ServletRequests INSTANCE = new ServletRequests();

    /** The methods of one request class; {@code mapping} and {@code dispatcherType} are null on old servlet APIs. */
    private record RequestAccess(Method method, Method requestUri, Method contextPath, Method attribute,
                                 Method mapping, Method dispatcherType) {
    }

    private static final RequestAccess NO_REQUEST = new RequestAccess(null, null, null, null, null, null);

    private static final ClassValue<RequestAccess> REQUESTS = new ClassValue<>() {
        @Override
        protected RequestAccess computeValue(Class<?> type) {
            Class<?> api = find(type, "HttpServletRequest");
            if (api == null) {
                return NO_REQUEST;
            }
            try {
                return new RequestAccess(api.getMethod("getMethod"), api.getMethod("getRequestURI"),
                        api.getMethod("getContextPath"), api.getMethod("getAttribute", String.class),
                        optional(api, "getHttpServletMapping"), optional(api, "getDispatcherType"));
            } catch (NoSuchMethodException e) {
                return NO_REQUEST;
            }
        }
    };

    private static final ClassValue<Method> STATUS = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            Class<?> api = find(type, "HttpServletResponse");
            return api == null ? null : optional(api, "getStatus");
        }
    };

    private static final ClassValue<Method> PATTERN = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            Class<?> api = find(type, "HttpServletMapping");
            return api == null ? null : optional(api, "getPattern");
        }
    };

    private ServletRequests() {
    }

    /** True when {@code request} is an HTTP servlet request of either API. */
    static boolean isHttp(Object request) {
        return request != null && REQUESTS.get(request.getClass()) != NO_REQUEST;
    }

    @Override
    public String method(Object request) {
        return (String) call(access(request).method(), request);
    }

    @Override
    public String requestUri(Object request) {
        return (String) call(access(request).requestUri(), request);
    }

    @Override
    public String contextPath(Object request) {
        return (String) call(access(request).contextPath(), request);
    }

    @Override
    public Object attribute(Object request, String name) {
        return call(access(request).attribute(), request, name);
    }

    @Override
    public String servletPattern(Object request) {
        Object mapping = call(access(request).mapping(), request);
        return mapping == null ? null : (String) call(PATTERN.get(mapping.getClass()), mapping);
    }

    @Override
    public boolean isErrorDispatch(Object request) {
        Object type = call(access(request).dispatcherType(), request);
        return type != null && "ERROR".equals(type.toString());
    }

    @Override
    public int status(Object response) {
        Object status = response == null ? null : call(STATUS.get(response.getClass()), response);
        return status instanceof Integer i ? i : 0;
    }

    private static RequestAccess access(Object request) {
        return request == null ? NO_REQUEST : REQUESTS.get(request.getClass());
    }

    private static Object call(Method method, Object target, Object... args) {
        if (method == null) {
            return null;
        }
        try {
            return method.invoke(target, args);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Method optional(Class<?> api, String name) {
        try {
            return api.getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** The {@code jakarta.servlet.http} or {@code javax.servlet.http} interface {@code simpleName} of {@code type}. */
    private static Class<?> find(Class<?> type, String simpleName) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                Class<?> found = findInterface(i, simpleName);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static Class<?> findInterface(Class<?> i, String simpleName) {
        String name = i.getName();
        if (name.equals("jakarta.servlet.http." + simpleName) || name.equals("javax.servlet.http." + simpleName)) {
            return i;
        }
        for (Class<?> parent : i.getInterfaces()) {
            Class<?> found = findInterface(parent, simpleName);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
