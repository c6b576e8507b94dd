package dev.querylens.agent.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.querylens.core.QueryLens;
import dev.querylens.core.web.HttpRequestAccessor;
import dev.querylens.core.web.RequestUnits;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.h2.jdbcx.JdbcDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The contract through the core API alone: the shop served by the JDK's own HTTP server and a router of a few lines,
 * as a framework Querylens does not know would use core. The adapter tells core the route it chose
 * ({@link HttpRequestAccessor#route}), the servlet-like mapping of the plain part and the status; core does the rest.
 * Its own pool carries units of work because it is wrapped with {@code lens.wrap(executor)}.
 */
class CoreApiContractIT extends UnitOfWorkContract {

    @Override
    ContractApp start() throws Exception {
        return new CoreShop();
    }

    /** An application written against the core API. */
    static final class CoreShop implements ContractApp {
        private static final Accessor ACCESSOR = new Accessor();
        private static final Pattern OWNER = Pattern.compile("/owners/([^/]+)");

        private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        private final QueryLens lens = QueryLens.builder().meterRegistry(registry).build();
        private final RequestUnits<Request, HttpExchange> units = new RequestUnits<>(lens, ACCESSOR);
        private final DataSource db;
        private final HttpServer server;
        /** The application's own pool, which core carries units into once wrapped. */
        private final ExecutorService pool = lens.wrap(Executors.newFixedThreadPool(4));

        CoreShop() throws Exception {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:contract;DB_CLOSE_DELAY=-1");
            try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
                s.execute("create table owner (id bigint primary key, name varchar(50))");
                s.execute("create table pet (id bigint primary key, name varchar(50), owner_id bigint)");
                for (int o = 1; o <= 6; o++) {
                    s.execute("insert into owner values (" + o + ", 'owner" + o + "')");
                    s.execute("insert into pet values (" + (o * 10) + ", 'pet" + o + "a', " + o + ")");
                    s.execute("insert into pet values (" + (o * 10 + 1) + ", 'pet" + o + "b', " + o + ")");
                }
            }
            db = lens.wrap(h2, "shop");
            // without it, headers and body go out in two packets and each request waits for a delayed ACK (~40 ms)
            System.setProperty("sun.net.httpserver.nodelay", "true");
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::container);
            server.start();
        }

        /** The "container": turns an exception out of the dispatch into a 500, as a servlet container does. */
        private void container(HttpExchange exchange) throws IOException {
            try {
                dispatch(exchange);
            } catch (Exception e) {
                respond(exchange, 500, "failed: " + e.getMessage());
            } finally {
                exchange.close();
            }
        }

        /** One request: a unit of work around the filter and the router, ended on every way out. */
        private void dispatch(HttpExchange exchange) throws Exception {
            Request request = new Request(exchange);
            Object token = units.enter(request);
            try {
                if (exchange.getRequestHeaders().containsKey(AUDIT)) {
                    count("select count(*) from owner");
                }
                route(request);
            } finally {
                units.exit(token, request, exchange);
            }
        }

        private void route(Request request) throws Exception {
            HttpExchange exchange = request.exchange;
            String method = exchange.getRequestMethod();
            String path = dev.querylens.core.web.RequestPaths.normalize(ACCESSOR.requestUri(request));
            if (path.startsWith("/legacy/") || path.equals("/legacy")) {
                request.mapping = "/legacy/*";
                long owners = count("select count(*) from owner");
                respond(exchange, path.startsWith("/legacy/missing") ? 404 : 200, "owners=" + owners);
                return;
            }
            Matcher owner = OWNER.matcher(path);
            String route = path.equals("/owners") ? "/owners"
                    : path.equals("/owners/async") || path.equals("/owners/fanout") ? path
                    : owner.matches() ? "/owners/{ownerId}"
                    : path.equals("/boom") ? "/boom" : path.equals("/actuator/health") ? "/actuator/health" : null;
            if (route == null) {
                respond(exchange, 404, "not found");
                return;
            }
            if (!method.equals("GET")) {
                respond(exchange, 405, "method not allowed");
                return;
            }
            request.route = route;
            units.handlerChosen(request, exchange);
            switch (route) {
                case "/owners" -> respond(exchange, 200, owners());
                case "/owners/async" -> respond(exchange, 200, pool.submit(this::owners).get(60, TimeUnit.SECONDS));
                case "/owners/fanout" -> respond(exchange, 200, String.valueOf(fanout()));
                case "/owners/{ownerId}" -> respond(exchange, 200, owner(Long.parseLong(owner.group(1))));
                case "/boom" -> throw new IllegalStateException("boom after counting " + count("select count(*) from owner") + " owners");
                default -> respond(exchange, 200, "UP");
            }
        }

        /** The N+1: the owners, then each owner's pets. */
        private String owners() throws SQLException {
            List<String> out = new ArrayList<>();
            try (Connection c = db.getConnection()) {
                List<long[]> ids = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select id from owner order by id")) {
                    while (rs.next()) {
                        ids.add(new long[]{rs.getLong(1)});
                    }
                }
                for (long[] id : ids) {
                    try (PreparedStatement ps = c.prepareStatement("select name from pet where owner_id = ?")) {
                        ps.setLong(1, id[0]);
                        int pets = 0;
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                pets++;
                            }
                        }
                        out.add("owner" + id[0] + ":" + pets);
                    }
                }
            }
            return out.toString();
        }

        private String owner(long id) throws SQLException {
            try (Connection c = db.getConnection();
                 PreparedStatement ps = c.prepareStatement(
                         "select o.name, p.name from owner o join pet p on p.owner_id = o.id where o.id = ?")) {
                ps.setLong(1, id);
                StringBuilder out = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.append(rs.getString(2)).append(' ');
                    }
                }
                return out.toString();
            }
        }

        /** One count here, then 16 tasks of 50 counts on the pool, waited for. */
        private long fanout() throws Exception {
            long total = count("select count(*) from owner");
            List<Future<Long>> tasks = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                tasks.add(pool.submit(() -> {
                    long n = 0;
                    for (int i = 0; i < 50; i++) {
                        n += count("select count(*) from owner");
                    }
                    return n;
                }));
            }
            for (Future<Long> f : tasks) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            return total;
        }

        private long count(String sql) throws SQLException {
            try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }

        private static void respond(HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        }

        @Override
        public String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public String scrape() {
            return registry.scrape();
        }

        @Override
        public String diagnostics() {
            return "core API application; findings: " + lens.findings().findings();
        }

        @Override
        public void close() {
            server.stop(0);
            pool.shutdownNow();
            lens.close();
        }

        /** One request as the router sees it: the exchange, and what the router decided. */
        private static final class Request {
            final HttpExchange exchange;
            String route;
            String mapping;

            Request(HttpExchange exchange) {
                this.exchange = exchange;
            }
        }

        /** What core reads of a request of this application. */
        private static final class Accessor implements HttpRequestAccessor<Request, HttpExchange> {
            @Override
            public String method(Request r) {
                return r.exchange.getRequestMethod();
            }

            @Override
            public String requestUri(Request r) {
                // the JDK reads a request target of "//actuator/health" as a URI with an authority
                java.net.URI uri = r.exchange.getRequestURI();
                return uri.getScheme() == null && uri.getRawAuthority() != null
                        ? "//" + uri.getRawAuthority() + uri.getRawPath() : uri.getRawPath();
            }

            @Override
            public String contextPath(Request r) {
                return "";
            }

            @Override
            public Object attribute(Request r, String name) {
                return null;
            }

            @Override
            public String route(Request r) {
                return r.route;
            }

            @Override
            public boolean dispatchedByFramework(Request r) {
                return false;
            }

            @Override
            public String servletPattern(Request r) {
                return r.mapping;
            }

            @Override
            public boolean isErrorDispatch(Request r) {
                return false;
            }

            @Override
            public int status(HttpExchange e) {
                return Math.max(e.getResponseCode(), 0);
            }
        }
    }
}
