package dev.querylens.agent;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the agent reads of a servlet request and response of either API, and that a failing read answers null. */
class ServletRequestsTest {

    private final ServletRequests requests = ServletRequests.INSTANCE;

    @Test
    void readsAJavaxRequestOfAServletApiWithoutMappings() {
        // Jetty 9.4: javax.servlet 3.1, which has dispatcher types but no HttpServletMapping
        Request request = new Request(null, null);
        request.setMetaData(new MetaData.Request("PATCH", new HttpURI("http://localhost/shop/owners/7"),
                HttpVersion.HTTP_1_1, new HttpFields()));
        request.setContextPath("/shop");
        request.setAttribute("route", "/owners/{id}");
        Response response = new Response(null, null);
        response.setStatus(404);

        assertTrue(ServletRequests.isHttp(request));
        assertEquals("PATCH", requests.method(request));
        assertEquals("/shop/owners/7", requests.requestUri(request));
        assertEquals("/shop", requests.contextPath(request));
        assertEquals("/owners/{id}", requests.attribute(request, "route"));
        assertNull(requests.attribute(request, "absent"));
        assertNull(requests.servletPattern(request));
        assertFalse(requests.isErrorDispatch(request));
        request.setDispatcherType(javax.servlet.DispatcherType.ERROR);
        assertTrue(requests.isErrorDispatch(request));
        assertEquals(404, requests.status(response));
    }

    @Test
    void readsAJakartaRequestWithItsServletMapping() {
        Map<String, Object> values = new HashMap<>();
        values.put("getMethod", "GET");
        values.put("getRequestURI", "/stats/today");
        values.put("getContextPath", "");
        values.put("getHttpServletMapping", jakarta(jakarta.servlet.http.HttpServletMapping.class,
                Map.of("getPattern", "/stats/*")));
        values.put("getDispatcherType", jakarta.servlet.DispatcherType.REQUEST);
        Map<String, Object> attributes = new HashMap<>(Map.of("a", 42));
        jakarta.servlet.http.HttpServletRequest request = jakarta(jakarta.servlet.http.HttpServletRequest.class, values,
                attributes);
        jakarta.servlet.http.HttpServletResponse response = jakarta(jakarta.servlet.http.HttpServletResponse.class,
                Map.of("getStatus", 201));

        assertTrue(ServletRequests.isHttp(request));
        assertEquals("GET", requests.method(request));
        assertEquals("/stats/today", requests.requestUri(request));
        assertEquals("", requests.contextPath(request));
        assertEquals(42, requests.attribute(request, "a"));
        assertEquals("/stats/*", requests.servletPattern(request));
        assertFalse(requests.isErrorDispatch(request));
        assertEquals(201, requests.status(response));

        values.put("getDispatcherType", jakarta.servlet.DispatcherType.ERROR);
        values.put("getHttpServletMapping", null);
        assertTrue(requests.isErrorDispatch(request));
        assertNull(requests.servletPattern(request));
    }

    @Test
    void aReadThatFailsAnswersNullAndNeverThrows() {
        InvocationHandler failing = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("hashCode") ? 0 : method.getName().equals("equals") ? false : "x";
            }
            throw method.getName().equals("getStatus") ? new StackOverflowError() : new IllegalStateException("gone");
        };
        Object request = Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{jakarta.servlet.http.HttpServletRequest.class}, failing);
        Object response = Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{jakarta.servlet.http.HttpServletResponse.class}, failing);

        assertTrue(ServletRequests.isHttp(request));
        assertNull(requests.method(request));
        assertNull(requests.requestUri(request));
        assertNull(requests.contextPath(request));
        assertNull(requests.attribute(request, "a"));
        assertNull(requests.servletPattern(request));
        assertFalse(requests.isErrorDispatch(request));
        assertEquals(0, requests.status(response));
    }

    @Test
    void anythingElseIsNoRequest() {
        assertFalse(ServletRequests.isHttp("not a request"));
        assertFalse(ServletRequests.isHttp(null));
        assertNull(requests.method("not a request"));
        assertNull(requests.attribute(null, "a"));
        assertNull(requests.servletPattern(new Object()));
        assertFalse(requests.isErrorDispatch(new Object()));
        assertEquals(0, requests.status("not a response"));
        assertEquals(0, requests.status(null));
    }

    private static <T> T jakarta(Class<T> api, Map<String, Object> values) {
        return jakarta(api, values, Map.of());
    }

    /** A jakarta servlet object answering its getters from {@code values} (read at each call). */
    private static <T> T jakarta(Class<T> api, Map<String, Object> values, Map<String, Object> attributes) {
        return api.cast(Proxy.newProxyInstance(ServletRequestsTest.class.getClassLoader(), new Class<?>[]{api},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> api.getSimpleName();
                    default -> values.get(method.getName());
                }));
    }
}
