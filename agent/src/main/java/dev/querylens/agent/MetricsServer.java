package dev.querylens.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.querylens.core.FindingsJson;
import dev.querylens.core.QueryLens;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The agent's HTTP endpoint on the JDK's own server: {@code /metrics} (Prometheus text format) and
 * {@code /querylens/findings} (JSON). Started from a daemon thread, so its threads are daemons too and never keep
 * the application alive; a port in use logs one line and the application runs on.
 */
final class MetricsServer {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final String host;
    private final int port;
    private final PrometheusMeterRegistry registry;
    private final QueryLens lens;

    MetricsServer(String host, int port, PrometheusMeterRegistry registry, QueryLens lens) {
        this.host = host;
        this.port = port;
        this.registry = registry;
        this.lens = lens;
    }

    /** Binds in the background; returns at once. */
    void startInBackground() {
        Thread starter = new Thread(this::start, "querylens-metrics-start");
        starter.setDaemon(true);
        starter.start();
    }

    private void start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
            server.createContext("/metrics", ex -> respond(ex, PROMETHEUS_TEXT, registry.scrape()));
            server.createContext("/querylens/findings",
                    ex -> respond(ex, "application/json", FindingsJson.toJson(lens.findings().findings())));
            ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "querylens-metrics");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.start(); // the dispatcher thread inherits this thread's daemon status
        } catch (BindException e) {
            AgentLog.line("metrics endpoint not started: " + host + ":" + port + " is already in use; set "
                    + AgentConfig.PROMETHEUS_PORT + " to a free port (or 0 to turn the endpoint off). The application "
                    + "runs on, still instrumented", e);
        } catch (Throwable t) {
            AgentLog.line("metrics endpoint not started on " + host + ":" + port + "; check "
                    + AgentConfig.PROMETHEUS_HOST + " and " + AgentConfig.PROMETHEUS_PORT
                    + ". The application runs on, still instrumented", t);
        }
    }

    private static void respond(HttpExchange exchange, String contentType, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
