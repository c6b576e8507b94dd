package dev.querylens.core;

import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.detect.CallSite;
import dev.querylens.core.detect.FindingKind;
import dev.querylens.core.testing.TestDatabases;
import dev.querylens.core.web.HttpEndpoints;
import dev.querylens.core.web.HttpRequestAccessor;
import dev.querylens.core.web.RequestUnits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A finding the store already holds keeps its call site: the next units of work of the same endpoint that make it
 * walk no stack, and count and record it exactly as before. A new endpoint, a change between view rendering and
 * not, and an eviction each walk the stack again.
 */
class CallSiteReuseTest extends RuleTestBase {

    private static final String LIST = "select id from author order by id";
    private static final String BY_ID = "select name from author where id = ?";
    private static final String AT_ORDER_QUERIES = "com.example.shop.OrderQueries.countRows(";

    /** The stack walks made for call sites. */
    static final class CountingCallSites extends CallSites {
        int walks;

        CountingCallSites() {
            super(List.of());
        }

        @Override
        CallSite capture(Object viewHandler) {
            walks++;
            return super.capture(viewHandler);
        }
    }

    private HikariDataSource pool;
    private DataSource ds;
    private CountingCallSites sites;

    @BeforeEach
    void setUp() throws SQLException {
        pool = TestDatabases.h2();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table author (id int primary key, name varchar(50))");
            s.execute("create table note (author_id int, body varchar(50))");
            for (int i = 1; i <= 10; i++) {
                s.execute("insert into author values (" + i + ", 'author " + i + "')");
            }
        }
        useLens(Map.of());
    }

    @Override
    protected void useLens(Map<String, String> config) {
        registry = new SimpleMeterRegistry();
        sites = new CountingCallSites();
        lens = QueryLens.builder().meterRegistry(registry).config(config).callSites(sites).build();
        ds = lens.wrap(pool, "h2");
    }

    @AfterEach
    void tearDown() {
        pool.close();
    }

    /** An N+1, a duplicate and unbatched writes in one unit of work. */
    private void threeFindings(String endpoint) throws SQLException {
        run(ds, endpoint, c -> {
            query(c, LIST);
            for (int id = 1; id <= 6; id++) {
                query(c, BY_ID, id);
            }
            for (int i = 0; i < 3; i++) {
                query(c, "select id from author where name = ?", "author 1");
            }
            for (int i = 0; i < 6; i++) {
                update(c, "insert into note (author_id, body) values (?, ?)", 1, "note " + i);
            }
        });
    }

    /** The latest finding of each kind, without the figures that grow with every unit (occurrences, total, last seen). */
    private List<List<Object>> latestFindings() {
        return findings().stream().map(f -> List.<Object>of(f.kind(), f.endpoint(), f.table(), f.sql(),
                String.valueOf(f.parentQuery()), String.valueOf(f.callSite()), f.hint(), f.details(), f.lastCount(),
                f.maxCount())).toList();
    }

    private double findingMeter(String name, String endpoint, String table) {
        return registry.get(name).tag("endpoint", endpoint).tag("table", table).counter().count();
    }

    @Test
    void theNextUnitsOfAnEndpointThatMakeTheSameFindingsWalkNoStackAndRecordThemAsBefore() throws SQLException {
        threeFindings("GET /authors");
        assertEquals(3, sites.walks, "one walk per new finding");
        List<List<Object>> first = latestFindings();
        assertEquals(3, first.size(), first::toString);
        for (FindingSummary f : findings()) {
            if (f.kind() != FindingKind.UNBATCHED_WRITES) {
                // the writes run from Querylens's own test helper: no application frame, no call site
                assertTrue(f.callSite().startsWith(AT_ORDER_QUERIES), f.toString());
            }
        }

        threeFindings("GET /authors");
        threeFindings("GET /authors");
        assertEquals(3, sites.walks, "the held findings' call sites were taken");
        assertEquals(first, latestFindings());
        for (FindingSummary f : findings()) {
            assertEquals(3, f.occurrences(), f.toString());
            assertEquals(3L * f.lastCount(), f.totalCount(), f.toString());
        }
        assertEquals(3, findingMeter(QueryLensMeters.NPLUSONE, "GET /authors", "author"));
        assertEquals(3, findingMeter(QueryLensMeters.DUPLICATES, "GET /authors", "author"));
        assertEquals(3, findingMeter(QueryLensMeters.UNBATCHED_WRITES, "GET /authors", "note"));
        assertEquals(3 * 10, statements("GET /authors", "select"));
        assertEquals(3 * 6, statements("GET /authors", "insert"));
    }

    @Test
    void anotherEndpointWalksTheStackForItsOwnFinding() throws SQLException {
        threeFindings("GET /authors");
        threeFindings("GET /authors/export");
        assertEquals(6, sites.walks);
        assertEquals(6, findings().size());
    }

    @Test
    void aFindingEvictedFromTheStoreWalksTheStackAgain() throws SQLException {
        useLens(Map.of(QueryLensConfig.FINDINGS_MAX.key(), "1"));
        SqlWork loop = c -> {
            query(c, LIST);
            for (int id = 1; id <= 6; id++) {
                query(c, BY_ID, id);
            }
        };
        run(ds, "GET /a", loop);
        run(ds, "GET /a", loop);
        assertEquals(1, sites.walks);
        run(ds, "GET /b", loop);
        assertEquals(2, sites.walks);
        assertEquals("GET /b", findings().get(0).endpoint(), "the finding of GET /a was evicted");

        run(ds, "GET /a", loop);
        assertEquals(3, sites.walks, "the evicted finding is new again");
        run(ds, "GET /a", loop);
        assertEquals(3, sites.walks);
        FindingSummary held = findings().get(0);
        assertEquals("GET /a", held.endpoint());
        assertTrue(held.callSite().startsWith(AT_ORDER_QUERIES), held.toString());
        assertEquals(2, held.occurrences());
    }

    @Test
    void aLoopInAViewTakesOnlyACallSiteRecordedWhileAViewRendered() throws Exception {
        Object handler = org.springframework.samples.querylens.OwnerController.processFindFormHandler();
        SqlWork inView = c -> {
            query(c, LIST);
            lens.viewRendering(handler);
            try {
                for (int id = 1; id <= 6; id++) {
                    query(c, BY_ID, id);
                }
            } finally {
                lens.viewRendering(null);
            }
        };
        SqlWork inController = c -> {
            query(c, LIST);
            for (int id = 1; id <= 6; id++) {
                query(c, BY_ID, id);
            }
        };
        String handlerMethod = "org.springframework.samples.querylens.OwnerController.processFindForm";

        run(ds, "GET /owners", inView);
        run(ds, "GET /owners", inView);
        assertEquals(1, sites.walks);
        FindingSummary f = findings().get(0);
        assertEquals(handlerMethod, f.callSite());
        assertEquals("view rendering", f.details().get("during"));
        assertTrue(f.details().get("frame").startsWith(AT_ORDER_QUERIES), f.details().toString());
        assertEquals(FindingKind.VIEW_RENDERING_HINT, f.hint());

        run(ds, "GET /owners", inController);
        assertEquals(2, sites.walks, "outside the view, the view's call site is not taken");
        f = findings().get(0);
        assertTrue(f.callSite().startsWith(AT_ORDER_QUERIES), f.toString());
        assertNull(f.details().get("during"));
        assertEquals(FindingKind.N_PLUS_ONE.hint(), f.hint());

        run(ds, "GET /owners", inView);
        assertEquals(3, sites.walks, "nor the other way round");
        assertEquals(handlerMethod, findings().get(0).callSite());
        run(ds, "GET /owners", inView);
        assertEquals(3, sites.walks);
    }

    /** A request that Spring MVC routes: {method, uri}, and the route once a handler was chosen. */
    static final class RoutedRequest implements HttpRequestAccessor<String[], Object> {
        @Override
        public String method(String[] r) {
            return r[0];
        }

        @Override
        public String requestUri(String[] r) {
            return r[1];
        }

        @Override
        public String contextPath(String[] r) {
            return "";
        }

        @Override
        public Object attribute(String[] r, String name) {
            return name.equals(HttpEndpoints.SPRING_BEST_MATCHING_PATTERN) ? r[2]
                    : name.equals(HttpEndpoints.SPRING_DISPATCHER_CONTEXT) ? "context" : null;
        }

        @Override
        public String servletPattern(String[] r) {
            return "/";
        }

        @Override
        public boolean isErrorDispatch(String[] r) {
            return false;
        }

        @Override
        public int status(Object response) {
            return 200;
        }
    }

    @Test
    void aRequestRoutedAfterItsUnitBeganIsLookedUpUnderItsRoute() throws SQLException {
        RequestUnits<String[], Object> requests = new RequestUnits<>(lens, new RoutedRequest());
        for (int id = 1; id <= 3; id++) {
            String[] request = {"GET", "/authors/" + id, null};
            Object token = requests.enter(request);
            try (Connection c = ds.getConnection()) {
                // the framework chooses the handler; the unit is renamed only when the request ends
                request[2] = "/authors/{id}";
                query(c, LIST);
                for (int author = 1; author <= 6; author++) {
                    query(c, BY_ID, author);
                }
            } finally {
                requests.exit(token, request, new Object());
            }
        }
        assertEquals(1, sites.walks, "the route names the unit while it runs");
        FindingSummary f = findings().get(0);
        assertEquals("GET /authors/{id}", f.endpoint());
        assertEquals(3, f.occurrences());
        assertTrue(f.callSite().startsWith(AT_ORDER_QUERIES), f.toString());
    }

    @Test
    void aNamerThatFailsCostsAStackWalkNotTheFinding() throws SQLException {
        for (int i = 0; i < 2; i++) {
            try (UnitOfWork unit = lens.begin("GET UNMATCHED"); Connection c = ds.getConnection()) {
                unit.endpointSoFar(() -> {
                    throw new IllegalStateException("request recycled");
                });
                query(c, LIST);
                for (int author = 1; author <= 6; author++) {
                    query(c, BY_ID, author);
                }
                unit.endpoint("GET /authors");
            }
        }
        assertEquals(2, sites.walks);
        assertEquals(2, findings().get(0).occurrences());
        assertEquals(2, registry.get(QueryLensMeters.INTERNAL_ERRORS).counter().count());
    }
}
