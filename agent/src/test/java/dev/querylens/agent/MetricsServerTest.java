package dev.querylens.agent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's HTTP endpoint over real sockets: no single client can hold it, it answers only requests addressed to
 * it (DNS rebinding), and it serves exactly its two paths.
 */
class MetricsServerTest {

    private static final String METRICS = "# TYPE querylens_statements_total counter\nquerylens_statements_total 3.0\n";
    private final List<Socket> sockets = new ArrayList<>();
    private MetricsServer server;
    private int port;

    private void start(String metrics, long requestTimeoutMillis, long responseTimeoutMillis) throws IOException {
        server = new MetricsServer("127.0.0.1", 0, () -> metrics, () -> "[]", requestTimeoutMillis,
                responseTimeoutMillis, null);
        port = server.start();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aClientThatSendsItsRequestSlowlyDoesNotHoldTheEndpoint() throws Exception {
        start(METRICS, 500, 5_000);
        Socket slow = open();
        slow.getOutputStream().write("GET /metrics HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
        slow.getOutputStream().flush();
        // answered while the slow client's request is still incomplete
        String answer = get("/metrics", "127.0.0.1:" + port);
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        assertTrue(answer.endsWith(METRICS), answer);
        // and the slow client is let go once its request timeout has passed
        slow.setSoTimeout(5_000);
        assertEquals(-1, slow.getInputStream().read());
    }

    @Test
    void aClientThatDoesNotReadItsResponseDoesNotHoldTheEndpoint() throws Exception {
        String big = "x".repeat(8 * 1024 * 1024) + "\n";
        start(big, 5_000, 60_000);
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket s = new Socket();
            sockets.add(s);
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.getOutputStream().write(request("GET", "/metrics", "localhost:" + port).getBytes(StandardCharsets.US_ASCII));
            stalled.add(s);
        }
        // the stalled clients read nothing; the endpoint still answers another one, in full
        String answer = get("/querylens/findings", "localhost:" + port);
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        assertTrue(answer.endsWith("\r\n\r\n[]"), answer);
        assertEquals(3, stalled.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"attacker.example", "attacker.example:PORT", "localhost.attacker.example:PORT",
            "127.0.0.2:PORT", "localhost:1", "[::1]:PORT", "127.0.0.1:PORT:PORT"})
    void aHostThatDoesNotNameTheEndpointIsRefused(String host) throws Exception {
        start(METRICS, 5_000, 5_000);
        String answer = get("/metrics", host.replace("PORT", Integer.toString(port)));
        assertTrue(answer.startsWith("HTTP/1.1 403 "), answer);
        assertTrue(!answer.contains("querylens_statements_total"), answer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:PORT", "LOCALHOST:PORT", "127.0.0.1", "127.0.0.1:PORT", "localhost.:PORT"})
    void aHostThatNamesTheEndpointIsAnswered(String host) throws Exception {
        start(METRICS, 5_000, 5_000);
        String answer = get("/metrics", host.replace("PORT", Integer.toString(port)));
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        assertTrue(answer.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8"), answer);
        assertTrue(answer.endsWith(METRICS), answer);
    }

    @Test
    void aRequestWithoutHostIsRefused() throws Exception {
        start(METRICS, 5_000, 5_000);
        String answer = send("GET /metrics HTTP/1.1\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/metricsx", "/metrics/", "/metrics/anything", "/querylens/findings/x", "/querylens", "/",
            "/METRICS"})
    void onlyTheExactPathsAreServed(String path) throws Exception {
        start(METRICS, 5_000, 5_000);
        String answer = get(path, "localhost:" + port);
        assertTrue(answer.startsWith("HTTP/1.1 404 "), answer);
    }

    @Test
    void aQueryStringIsIgnoredAndHeadAndOtherMethodsAreAnsweredAsHttpSays() throws Exception {
        start(METRICS, 5_000, 5_000);
        assertTrue(get("/metrics?name[]=x", "localhost").endsWith(METRICS));
        String head = send(request("HEAD", "/metrics", "localhost"));
        assertTrue(head.startsWith("HTTP/1.1 200 ") && head.endsWith("\r\n\r\n"), head);
        assertTrue(head.contains("Content-Length: " + METRICS.length()), head);
        String post = send(request("POST", "/metrics", "localhost"));
        assertTrue(post.startsWith("HTTP/1.1 405 ") && post.contains("Allow: GET, HEAD"), post);
    }

    private Socket open() throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return s;
    }

    private static String request(String method, String path, String host) {
        return method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: test\r\nAccept: */*\r\n\r\n";
    }

    private String get(String path, String host) throws IOException {
        return send(request("GET", path, host));
    }

    /** Sends a raw request and reads the whole response (the endpoint closes the connection after it). */
    private String send(String raw) throws IOException {
        try (Socket s = open()) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            try {
                while ((n = in.read(buffer)) >= 0) {
                    response.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no complete answer within 5 s; got " + response, e);
            }
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}
