package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import dev.querylens.core.QueryLensMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Endpoint naming and the end of the unit of work on every exit path. */
class QueryLensWebFilterTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final QueryLens lens = QueryLens.builder().meterRegistry(registry).build();
    private final QueryLensWebFilter filter = new QueryLensWebFilter(lens);

    private boolean unitRecorded(String endpoint) {
        return registry.find(QueryLensMeters.REQUEST_STATEMENTS).tag("endpoint", endpoint).summary() != null
                && registry.find(QueryLensMeters.REQUEST_STATEMENTS).tag("endpoint", endpoint).summary().count() > 0;
    }

    @Test
    void routeTemplateNamesTheUnit() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/owners/42");
        MockHttpServletResponse response = new MockHttpServletResponse();
        boolean[] inside = new boolean[1];
        filter.doFilter(request, response, new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res) {
                inside[0] = lens.inUnitOfWork();
                req.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/owners/{ownerId}");
            }
        }));
        assertThat(inside[0]).isTrue();
        assertThat(lens.inUnitOfWork()).isFalse();
        assertThat(unitRecorded("GET /owners/{ownerId}")).isTrue();
        assertThat(registry.getMeters()).noneMatch(m -> "/owners/42".equals(m.getId().getTag("endpoint"))
                || "GET /owners/42".equals(m.getId().getTag("endpoint")));
    }

    @Test
    void theHandlerInterceptorNamesTheUnitBeforeTheHandlerRuns() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/owners/42");
        String[] duringHandler = new String[1];
        filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res) {
                req.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/owners/{ownerId}");
                new QueryLensHandlerInterceptor(lens).preHandle(req, res, new Object());
                duringHandler[0] = QueryLensScopeTest.currentUnit(lens);
            }
        }));
        assertThat(duringHandler[0]).isEqualTo("GET /owners/{ownerId}");
        assertThat(request.getAttribute(QueryLensWebFilter.UNITS_ATTRIBUTE)).isNull();
        // outside the filter it does nothing
        assertThat(new QueryLensHandlerInterceptor(lens).preHandle(new MockHttpServletRequest(), new MockHttpServletResponse(), new Object())).isTrue();
    }

    /** A handler in the role of PetClinic's controller, whose view reads a lazy collection. */
    static final class OwnerController {
        public String processFindForm() {
            return "owners/ownersList";
        }
    }

    @Test
    void statementsWhileTheViewRendersNameTheHandlerMethod() throws Exception {
        org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
        h2.setURL("jdbc:h2:mem:views;DB_CLOSE_DELAY=-1");
        javax.sql.DataSource ds = lens.wrap(h2, "h2");
        try (java.sql.Connection c = h2.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("create table pet (id int primary key, owner_id int)");
        }
        org.springframework.web.method.HandlerMethod handler = new org.springframework.web.method.HandlerMethod(
                new OwnerController(), OwnerController.class.getMethod("processFindForm"));
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/owners");
        filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res) {
                req.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/owners");
                QueryLensHandlerInterceptor interceptor = new QueryLensHandlerInterceptor(lens);
                interceptor.preHandle(req, res, handler);
                interceptor.postHandle(req, res, handler, new org.springframework.web.servlet.ModelAndView("owners/ownersList"));
                try (java.sql.Connection c = ds.getConnection()) {
                    for (int owner = 1; owner <= 6; owner++) {
                        try (java.sql.PreparedStatement ps = c.prepareStatement("select id from pet where owner_id = ?")) {
                            ps.setInt(1, owner);
                            ps.executeQuery().close();
                        }
                    }
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
                interceptor.afterCompletion(req, res, handler, null);
            }
        }));
        assertThat(lens.findings().findings()).singleElement().satisfies(f -> {
            assertThat(f.endpoint()).isEqualTo("GET /owners");
            assertThat(f.callSite()).isEqualTo(OwnerController.class.getName() + ".processFindForm");
            assertThat(f.details()).containsEntry("during", "view rendering");
            assertThat(f.hint()).contains("spring.jpa.open-in-view=false");
        });
    }

    @Test
    void errorsEndTheUnitUnderItsRoute() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/orders/7/pay");
        assertThatThrownBy(() -> filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain(
                new jakarta.servlet.http.HttpServlet() {
                    @Override
                    protected void service(jakarta.servlet.http.HttpServletRequest req,
                                           jakarta.servlet.http.HttpServletResponse res) throws ServletException {
                        req.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/orders/{id}/pay");
                        throw new ServletException("boom");
                    }
                }))).hasMessage("boom");
        assertThat(lens.inUnitOfWork()).isFalse();
        assertThat(unitRecorded("POST /orders/{id}/pay")).isTrue();
    }

    @Test
    void notFoundIsUnmatchedNeverTheRawPath() throws Exception {
        MockHttpServletRequest noHandler = new MockHttpServletRequest("GET", "/wp-admin/setup.php");
        MockHttpServletResponse notFound = new MockHttpServletResponse();
        notFound.setStatus(404);
        assertThat(filter.endpoint(noHandler, notFound)).isEqualTo("GET UNMATCHED");

        MockHttpServletRequest staticMiss = new MockHttpServletRequest("GET", "/no/such/file.css");
        staticMiss.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/**");
        staticMiss.setAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, new ResourceHttpRequestHandler());
        assertThat(filter.endpoint(staticMiss, notFound)).isEqualTo("GET UNMATCHED");

        // a controller's own 404 (no such owner) keeps its route
        MockHttpServletRequest noSuchOwner = new MockHttpServletRequest("GET", "/owners/999");
        noSuchOwner.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/owners/{ownerId}");
        assertThat(filter.endpoint(noSuchOwner, notFound)).isEqualTo("GET /owners/{ownerId}");

        // a made-up method Spring MVC's dispatcher found no handler for
        MockHttpServletRequest odd = new MockHttpServletRequest("PROPFIND", "/x");
        odd.setAttribute(org.springframework.web.servlet.DispatcherServlet.WEB_APPLICATION_CONTEXT_ATTRIBUTE, new Object());
        assertThat(filter.endpoint(odd, new MockHttpServletResponse())).isEqualTo("OTHER UNMATCHED");

        filter.doFilter(noHandler, notFound, new MockFilterChain());
        assertThat(unitRecorded("GET UNMATCHED")).isTrue();
        assertThat(lens.inUnitOfWork()).isFalse();
    }

    @Test
    void excludedPathsAreNoUnitOfWork() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/shop/actuator;x=1//prometheus");
        request.setContextPath("/shop");
        boolean[] inside = new boolean[1];
        filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res) {
                inside[0] = lens.inUnitOfWork();
            }
        }));
        assertThat(inside[0]).isFalse();
        assertThat(registry.find(QueryLensMeters.REQUEST_STATEMENTS).summaries()).isEmpty();
    }
}
