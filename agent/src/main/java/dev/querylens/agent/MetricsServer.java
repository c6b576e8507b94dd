package dev.querylens.agent;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The agent's HTTP endpoint: {@code GET /metrics} (Prometheus text format) and {@code GET /querylens/findings}
 * (JSON), on one daemon thread that multiplexes its connections, so no client can hold it: a request must arrive
 * within {@link #REQUEST_TIMEOUT_MILLIS} and its response be taken within {@link #RESPONSE_TIMEOUT_MILLIS}, at most
 * {@link #MAX_CONNECTIONS} connections are open at once, and a request head is at most {@link #MAX_REQUEST_HEAD}
 * bytes. The JDK's own HTTP server cannot do this: its timeouts are JVM-wide system properties that would change
 * the application's own use of it.
 *
 * <p>Only a {@code Host} that names this endpoint is answered (the configured host, the address it listens on, or
 * {@code localhost}; any IP address when it listens on every interface), so that a web page in a browser on the
 * same machine cannot read the findings through DNS rebinding. Paths match exactly (a query string is ignored).
 * A port in use logs one line and the application runs on.
 *
 * <p>The same loop is the agent's {@link SelectorWatchdog}: it fires the EXPLAIN sampler's deadline alarms, so that
 * the sampler needs no borrowing thread of its own (an interrupt per due alarm, between two selects), and takes the
 * sampler's samples on HikariCP pools, one between two selects, so that those need no worker thread: while one
 * runs (a few milliseconds; each wait in it bounded, by {@code querylens.explain.connection-timeout} for the
 * borrow and the statement timeout and 3 s more for each network read), requests to the endpoint wait.
 */
final class MetricsServer {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String METRICS_PATH = "/metrics";
    static final String FINDINGS_PATH = "/querylens/findings";
    static final long REQUEST_TIMEOUT_MILLIS = 5_000;
    static final long RESPONSE_TIMEOUT_MILLIS = 10_000;
    static final int MAX_CONNECTIONS = 16;
    static final int MAX_REQUEST_HEAD = 8 * 1024;

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final String host;
    private final int port;
    private final Supplier<String> metrics;
    private final Supplier<String> findings;
    private final long requestTimeoutNanos;
    private final long responseTimeoutNanos;
    /** Null: no alarms to fire. */
    private final SelectorWatchdog watchdog;
    private volatile ServerSocketChannel channel;
    private volatile boolean running = true;

    /** The endpoint with its timeouts; {@code watchdog} may be null (no alarms to fire). */
    MetricsServer(String host, int port, Supplier<String> metrics, Supplier<String> findings, SelectorWatchdog watchdog) {
        this(host, port, metrics, findings, REQUEST_TIMEOUT_MILLIS, RESPONSE_TIMEOUT_MILLIS, watchdog);
    }

    /** With other timeouts, for tests. */
    MetricsServer(String host, int port, Supplier<String> metrics, Supplier<String> findings,
                  long requestTimeoutMillis, long responseTimeoutMillis, SelectorWatchdog watchdog) {
        this.host = host;
        this.port = port;
        this.metrics = metrics;
        this.findings = findings;
        this.requestTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(requestTimeoutMillis);
        this.responseTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(responseTimeoutMillis);
        this.watchdog = watchdog;
    }

    /** Binds and serves on the endpoint's one thread; returns at once (a failure to bind is logged there). */
    void startInBackground() {
        thread(() -> {
            try {
                serve(bind());
            } catch (BindException e) {
                AgentLog.line("metrics endpoint not started: " + host + ":" + port + " is already in use; set "
                        + AgentConfig.PROMETHEUS_PORT + " to a free port (or 0 to turn the endpoint off). The "
                        + "application runs on, still instrumented", e);
            } catch (Throwable t) {
                AgentLog.line("metrics endpoint not started on " + host + ":" + port + "; check "
                        + AgentConfig.PROMETHEUS_HOST + " and " + AgentConfig.PROMETHEUS_PORT
                        + ". The application runs on, still instrumented", t);
            } finally {
                detachWatchdog(); // never served (or stopped): the sampler borrows on a thread of its own
            }
        }).start();
    }

    /** Binds now (tests: port 0 picks a free port) and serves in the background; returns the port bound. */
    int start() throws IOException {
        ServerSocketChannel server;
        try {
            server = bind();
        } catch (IOException | RuntimeException e) {
            detachWatchdog();
            throw e;
        }
        thread(() -> serve(server)).start();
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    void stop() {
        running = false;
        ServerSocketChannel c = channel;
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private static Thread thread(Runnable r) {
        Thread t = new Thread(r, "querylens-metrics");
        t.setDaemon(true);
        return t;
    }

    private ServerSocketChannel bind() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.bind(new InetSocketAddress(host, port), MAX_CONNECTIONS);
            server.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        channel = server;
        return server;
    }

    /** One exchange: the request head coming in, then the response going out. */
    private static final class Exchange {
        final ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST_HEAD);
        ByteBuffer out;
        long deadline;

        Exchange(long deadline) {
            this.deadline = deadline;
        }
    }

    private void serve(ServerSocketChannel server) {
        try (Selector selector = Selector.open()) {
            server.register(selector, SelectionKey.OP_ACCEPT);
            InetAddress bound = ((InetSocketAddress) server.getLocalAddress()).getAddress();
            int boundPort = ((InetSocketAddress) server.getLocalAddress()).getPort();
            if (watchdog != null) {
                watchdog.attach(selector);
            }
            while (running) {
                boolean moreTasks = watchdog != null && watchdog.runTasks();
                long alarmNanos = watchdog == null ? Long.MAX_VALUE : watchdog.fireDue(System.nanoTime());
                if (moreTasks) {
                    selector.selectNow(); // serve what is ready, then the next task
                } else {
                    selector.select(waitMillis(selector, alarmNanos));
                }
                long now = System.nanoTime();
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    try {
                        if (key.isValid() && key.isAcceptable()) {
                            accept(server, selector, now);
                        } else if (key.isValid() && key.isReadable()) {
                            read(key, now, bound, boundPort);
                        } else if (key.isValid() && key.isWritable()) {
                            write(key);
                        }
                    } catch (IOException | RuntimeException e) {
                        close(key);
                    }
                }
                expire(selector, System.nanoTime());
            }
        } catch (Throwable t) {
            if (running) {
                AgentLog.line("metrics endpoint stopped; the application runs on, still instrumented", t);
            }
        } finally {
            detachWatchdog();
            stop();
        }
    }

    private void detachWatchdog() {
        if (watchdog != null) {
            watchdog.detach();
        }
    }

    /**
     * Until the nearest deadline, an exchange's or an alarm's ({@code alarmNanos} away); 0: neither, wait for the
     * next connection or arming.
     */
    private static long waitMillis(Selector selector, long alarmNanos) {
        long nearest = alarmNanos;
        long now = System.nanoTime();
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Exchange e) {
                nearest = Math.min(nearest, e.deadline - now);
            }
        }
        if (nearest == Long.MAX_VALUE) {
            return 0;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nearest) + 1);
    }

    private void accept(ServerSocketChannel server, Selector selector, long now) throws IOException {
        SocketChannel client;
        while ((client = server.accept()) != null) {
            if (selector.keys().size() > MAX_CONNECTIONS) {
                client.close();
                continue;
            }
            client.configureBlocking(false);
            client.register(selector, SelectionKey.OP_READ, new Exchange(now + requestTimeoutNanos));
        }
    }

    private void read(SelectionKey key, long now, InetAddress bound, int boundPort) throws IOException {
        Exchange e = (Exchange) key.attachment();
        SocketChannel client = (SocketChannel) key.channel();
        if (client.read(e.in) < 0) {
            close(key);
            return;
        }
        String head = headIfComplete(e.in);
        if (head == null && e.in.hasRemaining()) {
            return;
        }
        e.out = head == null ? response(431, "text/plain", "request head too large", false)
                : respond(head, bound, boundPort);
        e.deadline = now + responseTimeoutNanos;
        key.interestOps(SelectionKey.OP_WRITE);
        write(key);
    }

    private static void write(SelectionKey key) throws IOException {
        Exchange e = (Exchange) key.attachment();
        ((SocketChannel) key.channel()).write(e.out);
        if (!e.out.hasRemaining()) {
            close(key);
        }
    }

    private static void expire(Selector selector, long now) {
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Exchange e && now - e.deadline >= 0) {
                close(key);
            }
        }
    }

    private static void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // the client went away
        }
    }

    /** The request line and headers, once the blank line that ends them has arrived. */
    private static String headIfComplete(ByteBuffer in) {
        byte[] bytes = in.array();
        for (int i = 3; i < in.position(); i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return new String(bytes, 0, i - 3, StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    ByteBuffer respond(String head, InetAddress bound, int boundPort) {
        String[] lines = head.split("\r\n");
        String[] request = lines[0].split(" ");
        if (request.length != 3 || !request[2].startsWith("HTTP/1.")) {
            return response(400, "text/plain", "bad request line", false);
        }
        String hostHeader = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase("Host")) {
                if (hostHeader != null) {
                    return response(400, "text/plain", "more than one Host header", false);
                }
                hostHeader = lines[i].substring(colon + 1).trim();
            }
        }
        if (hostHeader == null) {
            return response(400, "text/plain", "Host header required", false);
        }
        if (!namesThisEndpoint(hostHeader, bound, boundPort)) {
            return response(403, "text/plain", "Host " + hostHeader.replaceAll("[^\\w.:\\[\\]-]", "?")
                    + " is not this endpoint's address; use localhost or " + host, false);
        }
        String method = request[0];
        boolean headOnly = method.equals("HEAD");
        if (!headOnly && !method.equals("GET")) {
            return response(405, "text/plain", "only GET and HEAD", false);
        }
        String target = request[1];
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        return switch (path) {
            case METRICS_PATH -> response(200, PROMETHEUS_TEXT, metrics.get(), headOnly);
            case FINDINGS_PATH -> response(200, "application/json", findings.get(), headOnly);
            default -> response(404, "text/plain", "not found; the endpoint serves " + METRICS_PATH + " and "
                    + FINDINGS_PATH, headOnly);
        };
    }

    /**
     * The configured host, {@code localhost}, or an IP address that is the bound one (any IP address when bound to
     * every interface: an address cannot be rebound); with a port, the bound port.
     */
    boolean namesThisEndpoint(String hostHeader, InetAddress bound, int boundPort) {
        String name = hostHeader.toLowerCase(Locale.ROOT);
        String portPart = null;
        if (name.startsWith("[")) {
            int end = name.indexOf(']');
            if (end < 0 || end + 1 < name.length() && name.charAt(end + 1) != ':') {
                return false;
            }
            portPart = end + 1 < name.length() ? name.substring(end + 2) : null;
            name = name.substring(0, end + 1);
        } else {
            int colon = name.indexOf(':');
            if (colon >= 0) {
                portPart = name.substring(colon + 1);
                name = name.substring(0, colon);
            }
        }
        if (portPart != null && !portPart.equals(Integer.toString(boundPort))) {
            return false;
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.equals("localhost") || name.equalsIgnoreCase(host)) {
            return true;
        }
        boolean literal = IPV4.matcher(name).matches() || name.startsWith("[") && name.endsWith("]");
        if (!literal) {
            return false;
        }
        try {
            // a literal: parsed, never looked up
            InetAddress address = InetAddress.getByName(name.startsWith("[") ? name.substring(1, name.length() - 1) : name);
            return bound.isAnyLocalAddress() || address.equals(bound);
        } catch (IOException e) {
            return false;
        }
    }

    private static ByteBuffer response(int status, String contentType, String body, boolean headOnly) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String reason = switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 431 -> "Request Header Fields Too Large";
            default -> "Error";
        };
        String headers = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + bytes.length + "\r\n"
                + (status == 405 ? "Allow: GET, HEAD\r\n" : "")
                + "Connection: close\r\n\r\n";
        byte[] h = headers.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(h.length + (headOnly ? 0 : bytes.length));
        out.put(h);
        if (!headOnly) {
            out.put(bytes);
        }
        return out.flip();
    }
}
