package dev.querylens.agent.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An application in a JVM of its own, started with the built agent jar. Its output goes to a file under
 * target/it-logs (printed when a test fails, see {@link DumpLogsOnFailure}); it is always destroyed by
 * {@link #close()}. Every wait has a deadline.
 */
final class ChildJvm implements AutoCloseable {

    static final Path AGENT_JAR = Path.of(required("querylens.it.agentJar"));
    static final Path APPS_DIR = Path.of(required("querylens.it.appsDir"));
    static final Path LOG_DIR = Path.of(required("querylens.it.logDir"));
    /** The OpenTelemetry Java agent's jar, which the build copies from Maven Central (version pinned in the root pom). */
    static final Path OTEL_JAR = Path.of(required("querylens.it.otelJar"));
    static final String POSTGRES_URL = env("QUERYLENS_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    /** Logs of the JVMs started by the running test. */
    static final List<Path> STARTED = new CopyOnWriteArrayList<>();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final String name;
    final Path log;
    private final Process process;

    private ChildJvm(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    static ChildJvm start(String name, Jdk jdk, List<String> jvmArgs, String classPath, String mainClass,
                          List<String> args) throws IOException {
        Files.createDirectories(LOG_DIR);
        Path log = LOG_DIR.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(jdk.java());
        command.add("-Xmx512m");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        Files.writeString(log, "# " + String.join(" ", command) + System.lineSeparator());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process process = pb.start();
        STARTED.add(log);
        return new ChildJvm(name, log, process);
    }

    /** The -javaagent option, with an optional argument string. */
    static String javaagent(String args) {
        return "-javaagent:" + AGENT_JAR + (args == null || args.isEmpty() ? "" : "=" + args);
    }

    /** The class path of one of the test applications: its classes plus the file its build wrote. */
    static String appClassPath(String classpathFile, Path... first) throws IOException {
        List<String> entries = new ArrayList<>();
        for (Path p : first) {
            entries.add(p.toString());
        }
        entries.add(APPS_DIR.resolve("classes").toString());
        entries.add(Files.readString(APPS_DIR.resolve(classpathFile)).trim());
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** The fault-injection agent that agent-test-apps builds (its {@code fault-agent} jar). */
    static Path faultAgentJar() throws IOException {
        try (var jars = Files.list(APPS_DIR)) {
            return jars.filter(p -> p.getFileName().toString().endsWith("-fault-agent.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no *-fault-agent.jar in " + APPS_DIR
                            + ": build agent-test-apps through Maven first"));
        }
    }

    /** A port nobody listens on right now. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Waits until the output holds {@code text}; fails early if the JVM exits. */
    void awaitOutput(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                fail(name + " exited with " + process.exitValue() + " before printing '" + text + "'");
            }
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        fail(name + " did not print '" + text + "' within " + timeout);
    }

    /** GET, expecting 200; returns the body. */
    static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), () -> "GET " + url + " answered " + r.statusCode() + ": " + r.body());
        return r.body();
    }

    /** GET; returns the status code. */
    static int status(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Polls {@code url} until its body satisfies {@code ready}; returns that body. */
    static String poll(String url, Predicate<String> ready, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        Exception lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = get(url);
                if (ready.test(last)) {
                    return last;
                }
            } catch (Exception | AssertionError e) {
                lastError = e instanceof Exception ex ? ex : new Exception(e);
            }
            TimeUnit.MILLISECONDS.sleep(200); // between polls, bounded by the deadline
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + " at " + url
                + (last == null ? "" : "; last answer:\n" + last), lastError);
    }

    /**
     * Names of the JVM's live threads that start with {@code prefix}, from {@code jcmd Thread.print} (an attach,
     * which starts the JVM's own Attach Listener thread, never one of the application's or the agent's).
     */
    List<String> threads(Jdk jdk, String prefix) throws Exception {
        return threads(threadDump(jdk), prefix);
    }

    /** The JVM's thread dump ({@code jcmd Thread.print}). */
    String threadDump(Jdk jdk) throws Exception {
        Process jcmd = new ProcessBuilder(jdk.tool("jcmd"), Long.toString(pid()), "Thread.print")
                .redirectErrorStream(true).start();
        String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(jcmd.waitFor(30, TimeUnit.SECONDS) && jcmd.exitValue() == 0, "jcmd Thread.print failed: " + dump);
        return dump;
    }

    /** The names of the threads in {@code dump} that start with {@code prefix}. */
    static List<String> threads(String dump, String prefix) {
        List<String> names = new ArrayList<>();
        for (String line : dump.split("\n")) {
            int end = line.indexOf('"', 1);
            if (line.startsWith("\"") && end > 0 && line.substring(1, end).startsWith(prefix)) {
                names.add(line.substring(1, end));
            }
        }
        return names;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(15, TimeUnit.SECONDS);
        }
    }

    private static String required(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException(property + " is not set: run the integration tests through Maven "
                    + "(./mvnw verify), which builds the agent jar first");
        }
        return v;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
