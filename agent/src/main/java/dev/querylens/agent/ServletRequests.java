package dev.querylens.agent;

import dev.querylens.core.web.HttpRequestAccessor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * Reads an {@code HttpServletRequest} and {@code HttpServletResponse} of either servlet API (jakarta or javax)
 * without linking to it, so the agent jar needs no servlet API. The methods are looked up once per class, as method
 * handles of an erased signature ({@code (Object)Object}, {@code (Object,String)Object}): a read is an
 * {@code invokeExact}, without the argument array and access checks of {@code Method.invoke}. What is read and what
 * it means is core's ({@link dev.querylens.core.web.RequestUnits}).
 */
final class ServletRequests implements HttpRequestAccessor<Object, Object> {

    static final ServletRequests INSTANCE = new ServletRequests();

    private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);
    private static final MethodType ATTRIBUTE = MethodType.methodType(Object.class, Object.class, String.class);

    /** The methods of one request class; {@code mapping} and {@code dispatcherType} are null on old servlet APIs. */
    private record RequestAccess(MethodHandle method, MethodHandle requestUri, MethodHandle contextPath,
                                 MethodHandle attribute, MethodHandle mapping, MethodHandle dispatcherType) {
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
                return new RequestAccess(getter(api, "getMethod"), getter(api, "getRequestURI"),
                        getter(api, "getContextPath"),
                        handle(api.getMethod("getAttribute", String.class), ATTRIBUTE),
                        optional(api, "getHttpServletMapping"), optional(api, "getDispatcherType"));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return NO_REQUEST;
            }
        }
    };

    /** {@code getStatus} of a response class; null where the servlet API has none. */
    private static final ClassValue<MethodHandle> STATUS = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            Class<?> api = find(type, "HttpServletResponse");
            return api == null ? null : optional(api, "getStatus");
        }
    };

    private static final ClassValue<MethodHandle> PATTERN = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
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
        return string(call(access(request).method(), request));
    }

    @Override
    public String requestUri(Object request) {
        return string(call(access(request).requestUri(), request));
    }

    @Override
    public String contextPath(Object request) {
        return string(call(access(request).contextPath(), request));
    }

    @Override
    public Object attribute(Object request, String name) {
        MethodHandle attribute = access(request).attribute();
        if (attribute == null) {
            return null;
        }
        try {
            return (Object) attribute.invokeExact(request, name);
        } catch (Throwable t) {
            return null;
        }
    }

    @Override
    public String servletPattern(Object request) {
        Object mapping = call(access(request).mapping(), request);
        return mapping == null ? null : string(call(PATTERN.get(mapping.getClass()), mapping));
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

    /** {@code getter} applied to {@code target}; {@code null} without a getter or when it fails in any way. */
    private static Object call(MethodHandle getter, Object target) {
        if (getter == null) {
            return null;
        }
        try {
            return (Object) getter.invokeExact(target);
        } catch (Throwable t) {
            // what the container throws stays with it: the request is named from what could be read
            return null;
        }
    }

    private static String string(Object value) {
        return value instanceof String s ? s : null;
    }

    private static MethodHandle getter(Class<?> api, String name) throws ReflectiveOperationException {
        return handle(api.getMethod(name), GETTER);
    }

    private static MethodHandle handle(Method method, MethodType erased) throws IllegalAccessException {
        return MethodHandles.publicLookup().unreflect(method).asType(erased);
    }

    private static MethodHandle optional(Class<?> api, String name) {
        try {
            return getter(api, name);
        } catch (ReflectiveOperationException | RuntimeException e) {
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
