package dev.querylens.core.web;

import dev.querylens.core.QueryLens;
import dev.querylens.core.QueryLensMeters;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The life of a request's unit of work: only the outermost dispatch acts, on every way out. */
class RequestUnitsTest {

    /** A request as a map: method, uri, context, route, mapping, dispatch, status. */
    static class Accessor implements HttpRequestAccessor<Map<String, Object>, Map<String, Object>> {
        @Override
        public String method(Map<String, Object> r) {
            return (String) r.get("method");
        }

        @Override
        public String requestUri(Map<String, Object> r) {
            return (String) r.get("uri");
        }

        @Override
        public String contextPath(Map<String, Object> r) {
            return (String) r.getOrDefault("context", "");
        }

        @Override
        public Object attribute(Map<String, Object> r, String name) {
            return r.get(name);
        }

        @Override
        public String servletPattern(Map<String, Object> r) {
            return (String) r.get("mapping");
        }

        @Override
        public boolean isErrorDispatch(Map<String, Object> r) {
            return "ERROR".equals(r.get("dispatch"));
        }

        @Override
        public int status(Map<String, Object> r) {
            return (Integer) r.getOrDefault("status", 0);
        }
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final QueryLens lens = QueryLens.builder().meterRegistry(registry).build();
    private final RequestUnits<Map<String, Object>, Map<String, Object>> units = new RequestUnits<>(lens, new Accessor());

    private static Map<String, Object> request(String method, String uri) {
        Map<String, Object> r = new HashMap<>();
        r.put("method", method);
        r.put("uri", uri);
        return r;
    }

    private long units(String endpoint) {
        DistributionSummary s = registry.find(QueryLensMeters.REQUEST_STATEMENTS).tag("endpoint", endpoint).summary();
        return s == null ? 0 : s.count();
    }

    @Test
    void onlyTheOutermostDispatchIsAUnit() {
        Map<String, Object> r = request("GET", "/owners/7");
        Object outer = units.enter(r);
        Object filter = units.enter(r);
        Object servlet = units.enter(r);
        assertTrue(lens.inUnitOfWork());
        r.put(HttpEndpoints.SPRING_BEST_MATCHING_PATTERN, "/owners/{ownerId}");
        units.handlerChosen(r, r);
        units.exit(servlet, r, r);
        units.exit(filter, r, r);
        assertTrue(lens.inUnitOfWork(), "inner dispatches do not end the unit");
        units.exit(outer, r, r);
        assertFalse(lens.inUnitOfWork());
        assertEquals(1, units("GET /owners/{ownerId}"));
        // the next request on the thread starts from scratch
        Map<String, Object> next = request("GET", "/nope");
        next.put("status", 404);
        units.exit(units.enter(next), next, next);
        assertEquals(1, units("GET UNMATCHED"));
    }

    @Test
    void theUnitEndsWhenTheDispatchThrows() {
        Map<String, Object> r = request("POST", "/orders/7/pay");
        assertThrows(IllegalStateException.class, () -> {
            Object token = units.enter(r);
            try {
                r.put(HttpEndpoints.SPRING_BEST_MATCHING_PATTERN, "/orders/{id}/pay");
                throw new IllegalStateException("boom");
            } finally {
                units.exit(token, r, r);
            }
        });
        assertFalse(lens.inUnitOfWork());
        assertEquals(1, units("POST /orders/{id}/pay"));
    }

    @Test
    void excludedPathsAndErrorDispatchesAreNoUnits() {
        for (String uri : new String[]{"/actuator/health", "/actuator;x/health", "//actuator/health", "/%61ctuator",
                "/shop/../actuator/prometheus"}) {
            Map<String, Object> r = request("GET", uri);
            Object token = units.enter(r);
            assertFalse(lens.inUnitOfWork(), uri);
            units.exit(token, r, r);
        }
        Map<String, Object> inContext = request("GET", "/shop//actuator/health");
        inContext.put("context", "/shop");
        assertTrue(units.isExcluded(inContext));
        Map<String, Object> error = request("GET", "/error");
        error.put("dispatch", "ERROR");
        Object token = units.enter(error);
        assertFalse(lens.inUnitOfWork());
        units.exit(token, error, error);
        assertNull(registry.find(QueryLensMeters.REQUEST_STATEMENTS).summary());
    }

    @Test
    void anAccessorThatThrowsNeverReachesTheApplication() {
        RequestUnits<Map<String, Object>, Map<String, Object>> broken = new RequestUnits<>(lens, new Accessor() {
            @Override
            public String method(Map<String, Object> r) {
                throw new IllegalStateException("recycled request");
            }
        });
        Map<String, Object> r = request("GET", "/owners");
        Object token = broken.enter(r);
        broken.exit(token, r, r);
        assertFalse(lens.inUnitOfWork());
    }

    @Test
    void aRoutedRequestReadsItsMethodOnceAndNeitherPathNorMappingNorStatus() {
        Map<String, Integer> reads = new HashMap<>();
        RequestUnits<Map<String, Object>, Map<String, Object>> counted = new RequestUnits<>(lens, new Accessor() {
            @Override
            public String method(Map<String, Object> r) {
                reads.merge("method", 1, Integer::sum);
                return super.method(r);
            }

            @Override
            public String requestUri(Map<String, Object> r) {
                reads.merge("uri", 1, Integer::sum);
                return super.requestUri(r);
            }

            @Override
            public String servletPattern(Map<String, Object> r) {
                reads.merge("mapping", 1, Integer::sum);
                return super.servletPattern(r);
            }

            @Override
            public int status(Map<String, Object> r) {
                reads.merge("status", 1, Integer::sum);
                return super.status(r);
            }
        });
        Map<String, Object> r = request("DELETE", "/owners/7");
        r.put("mapping", "/");
        r.put("status", 404);
        Object token = counted.enter(r);
        assertEquals(Map.of("method", 1, "uri", 1), reads, "the exclusion reads the path when the request begins");
        reads.clear();
        r.put(HttpEndpoints.SPRING_BEST_MATCHING_PATTERN, "/owners/{ownerId}");
        counted.exit(token, r, r);
        assertEquals(1, units("DELETE /owners/{ownerId}"));
        assertEquals(Map.of(), reads);

        // without a route, the rest decides as before: a 404 of a plain servlet is unmatched
        Map<String, Object> plain = request("GET", "/shops/7");
        plain.put("mapping", "/shops/*");
        plain.put("status", 404);
        counted.exit(counted.enter(plain), plain, plain);
        assertEquals(1, units("GET UNMATCHED"));
        plain.put("status", 200);
        counted.exit(counted.enter(plain), plain, plain);
        assertEquals(1, units("GET /shops/{id}"));
    }

    @Test
    void theRouteAsItStandsWhenTheRequestEndsNamesIt() {
        Map<String, Object> r = request("GET", "/owners/7");
        Object token = units.enter(r);
        r.put(HttpEndpoints.SPRING_BEST_MATCHING_PATTERN, "/owners/{ownerId}");
        units.handlerChosen(r, r);
        // forwarded to another handler
        r.put(HttpEndpoints.SPRING_BEST_MATCHING_PATTERN, "/owners/{ownerId}/edit");
        units.exit(token, r, r);
        assertEquals(1, units("GET /owners/{ownerId}/edit"));
        assertEquals(0, units("GET /owners/{ownerId}"));
    }

    @Test
    void excludedPrefixesWithATrailingSlashStillExclude() {
        RequestUnits<Map<String, Object>, Map<String, Object>> slashed = new RequestUnits<>(
                QueryLens.builder().meterRegistry(registry)
                        .config(Map.of("querylens.web.exclude-paths", "/internal/,/"))
                        .build(), new Accessor());
        assertTrue(slashed.isExcluded(request("GET", "/anything")));
        RequestUnits<Map<String, Object>, Map<String, Object>> internal = new RequestUnits<>(
                QueryLens.builder().meterRegistry(registry)
                        .config(Map.of("querylens.web.exclude-paths", "/internal/"))
                        .build(), new Accessor());
        assertTrue(internal.isExcluded(request("GET", "/internal")));
        assertTrue(internal.isExcluded(request("GET", "/internal/jobs")));
        assertFalse(internal.isExcluded(request("GET", "/internals")));
    }
}
