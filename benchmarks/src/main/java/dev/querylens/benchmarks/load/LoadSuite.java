package dev.querylens.benchmarks.load;

import dev.querylens.benchmarks.report.ResultsFile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * The end-to-end benchmark: the demo shop under wrk on loopback, on H2 and on PostgreSQL, in four configurations
 * measured alternately (no agent, the Querylens agent, the OpenTelemetry Java agent, the Querylens starter), each
 * round starting every configuration afresh in a rotated order. Writes the {@code load} section of RESULTS.md.
 *
 * <p>Every JVM gets the same flags (fixed heap, G1, a GC log) and is launched the same way (the fat jar's
 * PropertiesLauncher, so that the starter configuration can add jars with {@code loader.path}).
 */
public final class LoadSuite {

    static final String NONE = "none";
    static final String AGENT = "querylens-agent";
    static final String OTEL = "otel-agent";
    static final String STARTER = "querylens-starter";

    private final Settings s;
    private final JvmProbe probe;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Everything the run is told, from {@code --key value} arguments. */
    record Settings(Path root, Path appJar, Path agentJar, Path otelJar, List<Path> starterJars,
                    List<String> databases, List<String> configs, int rounds, int startupRounds, Duration warmup,
                    Duration maxWarmup,
                    double settledJitPercent, Duration duration,
                    Duration pacedDuration, int thinkMillis, int connections, long maxRequests, int appPort, int metricsPort, String heap,
                    Duration startTimeout, Path results, String command, Path out) {
    }

    /** One configuration of the application. */
    record Config(String name, List<String> jvmArgs, List<String> appArgs, String loaderPath, String note) {
    }

    /**
     * What one start of one configuration measured; {@code paced} is null when no paced window was run. A start of
     * {@code --startup-rounds} is stopped once ready: {@code warmup} and {@code measured} are null, and every figure
     * but the startup ones is NaN, which the report leaves out.
     */
    record Run(String db, String config, int round, double startupSeconds, double startupCpuSeconds,
               double startupCompilerCpuSeconds, Warmup warmup, Window measured, double allocBytes, Window paced,
               long peakThreads) {

        /** A start stopped once ready, measured for its startup figures only. */
        static Run startupOnly(String db, String config, int round, double startupSeconds, double startupCpuSeconds,
                               double startupCompilerCpuSeconds) {
            return new Run(db, config, round, startupSeconds, startupCpuSeconds, startupCompilerCpuSeconds, null, null,
                    Double.NaN, null, -1);
        }

        /** True when the start was put under load, false for a start of {@code --startup-rounds}. */
        boolean loaded() {
            return measured != null;
        }

        /** Startup CPU of every thread but the JIT compilers': how much a start compiles scatters from start to start. */
        double startupCpuSecondsOutsideJit() {
            return startupCpuSeconds - startupCompilerCpuSeconds;
        }

        Wrk.Result load() {
            return measured.load();
        }

        double throughput() {
            return loaded() ? load().throughput() : Double.NaN;
        }

        double p50Millis() {
            return loaded() ? load().p50Micros() / 1e3 : Double.NaN;
        }

        double p99Millis() {
            return loaded() ? load().p99Micros() / 1e3 : Double.NaN;
        }

        double allocMbPerSecond() {
            return loaded() ? allocBytes / load().seconds() / 1e6 : Double.NaN;
        }

        double allocKbPerRequest() {
            return loaded() ? allocBytes / load().requests() / 1e3 : Double.NaN;
        }

        double cpuMillisPerRequest() {
            return loaded() ? measured.cpuMillisPerRequest() : Double.NaN;
        }

        double cpuMillisPerRequestOutsideJit() {
            return loaded() ? measured.cpuMillisPerRequestOutsideJit() : Double.NaN;
        }

        double peakThreadsFigure() {
            return loaded() ? peakThreads : Double.NaN;
        }

        double pacedThroughput() {
            return paced == null ? Double.NaN : paced.load().throughput();
        }

        double pacedCpuMillisPerRequest() {
            return paced == null ? Double.NaN : paced.cpuMillisPerRequest();
        }

        double pacedCpuMillisPerRequestOutsideJit() {
            return paced == null ? Double.NaN : paced.cpuMillisPerRequestOutsideJit();
        }
    }

    /**
     * How long a start was warmed up; {@code settled} when the JIT compilers' share of the process's CPU in its last
     * slice fell to the limit before the longest warm-up ran out.
     */
    record Warmup(double seconds, boolean settled) {
    }

    /** One measured wrk run and the application's CPU time over it, all threads and the JIT compilers'. */
    record Window(Wrk.Result load, double cpuMillis, double compilerCpuMillis) {
        /** The JIT compiler threads' share of the process's CPU over the window, in percent. */
        double jitPercent() {
            return cpuMillis <= 0 ? 0 : 100 * compilerCpuMillis / cpuMillis;
        }

        double cpuMillisPerRequest() {
            return cpuMillis / load.requests();
        }

        /** CPU per request of every thread but the JIT compilers'. */
        double cpuMillisPerRequestOutsideJit() {
            return (cpuMillis - compilerCpuMillis) / load.requests();
        }
    }

    LoadSuite(Settings settings) {
        this.s = settings;
        this.probe = new JvmProbe(Path.of(System.getProperty("java.home")));
    }

    public static void main(String[] args) throws Exception {
        Settings settings = parse(args);
        new LoadSuite(settings).runAll();
    }

    static Settings parse(String[] args) {
        Settings settings = settings(options(args));
        if (settings.rounds() + settings.startupRounds() == 0) {
            throw new IllegalArgumentException("--rounds and --startup-rounds are both 0: nothing to measure");
        }
        return settings;
    }

    private static Settings settings(Map<String, String> a) {
        Path root = Path.of(a.getOrDefault("root", ".")).toAbsolutePath().normalize();
        List<Path> starter = a.containsKey("starter-jars") && !a.get("starter-jars").isBlank()
                ? Arrays.stream(a.get("starter-jars").split(",")).map(Path::of).toList() : List.of();
        return new Settings(root,
                root.resolve(a.getOrDefault("app-jar", "demo-app/target/querylens-demo-app-0.1.0-SNAPSHOT.jar")),
                root.resolve(a.getOrDefault("agent-jar", "agent/target/querylens-agent.jar")),
                root.resolve(a.getOrDefault("otel-jar", "benchmarks/target/otel/opentelemetry-javaagent.jar")),
                starter,
                List.of(a.getOrDefault("databases", "h2,postgres").split(",")),
                List.of(a.getOrDefault("configs", String.join(",", NONE, AGENT, OTEL, STARTER)).split(",")),
                nonNegative(a, "rounds", "3"),
                nonNegative(a, "startup-rounds", "0"),
                Duration.ofSeconds(Long.parseLong(a.getOrDefault("warmup", "20"))),
                Duration.ofSeconds(Long.parseLong(a.getOrDefault("max-warmup", "0"))),
                Double.parseDouble(a.getOrDefault("settled-jit", "5")),
                Duration.ofSeconds(Long.parseLong(a.getOrDefault("duration", "30"))),
                Duration.ofSeconds(Long.parseLong(a.getOrDefault("paced-duration", "20"))),
                Integer.parseInt(a.getOrDefault("think-time", "40")),
                Integer.parseInt(a.getOrDefault("connections", "8")),
                Long.parseLong(a.getOrDefault("max-requests", "1000000")),
                port(a.getOrDefault("port", "auto")),
                port(a.getOrDefault("metrics-port", "auto")),
                a.getOrDefault("heap", "768m"),
                Duration.ofSeconds(Long.parseLong(a.getOrDefault("start-timeout", "300"))),
                root.resolve(a.getOrDefault("results", "benchmarks/RESULTS.md")),
                a.getOrDefault("command", "benchmarks/run-load.sh"),
                root.resolve(a.getOrDefault("out", "benchmarks/target/load")));
    }

    /** The configurations in round {@code round}'s order: rotated by one each round, so none always goes first. */
    static List<String> roundOrder(List<String> configs, int round) {
        List<String> order = new ArrayList<>(configs);
        Collections.rotate(order, -(round - 1));
        return order;
    }

    private static int nonNegative(Map<String, String> a, String key, String fallback) {
        int v = Integer.parseInt(a.getOrDefault(key, fallback));
        if (v < 0) {
            throw new IllegalArgumentException("--" + key + " must be 0 or more, got " + v);
        }
        return v;
    }

    /** The harnesses' {@code --key value} arguments, by key; a key without a value, or a value without a key, is refused. */
    static Map<String, String> options(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --key value pairs, got " + args[i]
                        + (i + 1 >= args.length ? " without a value" : ""));
            }
            a.put(args[i].substring(2), args[i + 1]);
        }
        return a;
    }

    /** The OpenTelemetry agent's options in every harness: its exporters off, so that it sends nothing anywhere. */
    static final List<String> OTEL_EXPORTERS_OFF = List.of("-Dotel.traces.exporter=none",
            "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none");

    /** A given port, or for {@code auto} one that is free on 127.0.0.1 now (other builds on the machine use some). */
    static int port(String value) {
        if (!value.equals("auto")) {
            return Integer.parseInt(value);
        }
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1", e);
        }
    }

    void runAll() throws Exception {
        String wrk = Wrk.find();
        require(s.appJar(), "the demo application jar (module demo-app)");
        Files.createDirectories(s.out());
        Map<String, Config> configs = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (String name : s.configs()) {
            Config c = config(name);
            if (c == null) {
                skipped.add(name);
            } else {
                configs.put(name, c);
            }
        }
        String loadBefore = ResultsFile.loadAverage();
        String revision = ResultsFile.revision();
        long started = System.nanoTime();
        Path script = s.out().resolve("paths.lua");
        Files.writeString(script, Wrk.script(paths(), s.maxRequests()));
        Path pacedScript = s.out().resolve("paths-paced.lua");
        Files.writeString(pacedScript, Wrk.script(paths(), s.maxRequests(), s.thinkMillis()));
        List<Run> runs = new ArrayList<>();
        List<String> names = new ArrayList<>(configs.keySet());
        for (String db : s.databases()) {
            for (int round = 1; round <= s.rounds(); round++) {
                for (String name : roundOrder(names, round)) {
                    Run run = runOnce(db, configs.get(name), round, wrk, script, pacedScript);
                    runs.add(run);
                    System.out.printf(Locale.ROOT, "[load] %s %-18s round %d: %.0f req/s, p50 %.2f ms, p99 %.2f ms, "
                                    + "%.0f MB/s, %.1f KB/req, %.2f ms CPU/req (%.2f outside JIT), paced %.0f req/s at "
                                    + "%.2f ms CPU/req (%.2f outside JIT), startup %.1f s (%.1f s CPU, %.1f outside "
                                    + "JIT), peak threads %d%n",
                            db, name, round, run.load().throughput(), run.load().p50Micros() / 1e3,
                            run.load().p99Micros() / 1e3, run.allocMbPerSecond(), run.allocKbPerRequest(),
                            run.cpuMillisPerRequest(), run.cpuMillisPerRequestOutsideJit(), run.pacedThroughput(),
                            run.pacedCpuMillisPerRequest(), run.pacedCpuMillisPerRequestOutsideJit(),
                            run.startupSeconds(), run.startupCpuSeconds(), run.startupCpuSecondsOutsideJit(),
                            run.peakThreads());
                }
            }
            for (int round = s.rounds() + 1; round <= s.rounds() + s.startupRounds(); round++) {
                for (String name : roundOrder(names, round)) {
                    Run run = startOnce(db, configs.get(name), round);
                    runs.add(run);
                    System.out.printf(Locale.ROOT, "[load] %s %-18s round %d, startup only: %.1f s (%.1f s CPU, %.1f "
                                    + "outside JIT)%n", db, name, round, run.startupSeconds(), run.startupCpuSeconds(),
                            run.startupCpuSecondsOutsideJit());
                }
            }
        }
        long minutes = Math.round((System.nanoTime() - started) / 60e9);
        String report = LoadReport.render(s, configs, skipped, runs, paths(), revision, loadBefore, ResultsFile.loadAverage(),
                minutes);
        ResultsFile.writeSection(s.results(), LoadReport.section(s), report);
        System.out.println();
        System.out.println(report);
        System.out.println("Written to " + s.results() + "; logs under " + s.out());
    }

    /** The configuration, or null (with the reason printed) when what it needs is not built. */
    Config config(String name) throws IOException {
        switch (name) {
            case NONE:
                return new Config(NONE, List.of(), starterOff(), "", "no agent");
            case AGENT:
                if (!Files.exists(s.agentJar())) {
                    System.out.println("[load] skipping " + AGENT + ": " + s.agentJar() + " is not built");
                    return null;
                }
                return new Config(AGENT, List.of("-javaagent:" + s.agentJar(),
                        "-Dquerylens.prometheus.port=" + s.metricsPort(), "-Dquerylens.prometheus.host=127.0.0.1"),
                        starterOff(), "", "`-javaagent:" + s.root().relativize(s.agentJar()) + "` with its defaults "
                        + "(Prometheus port on 127.0.0.1)");
            case OTEL:
                require(s.otelJar(), "the OpenTelemetry Java agent (run-load.sh fetches it)");
                List<String> otelArgs = new ArrayList<>(List.of("-javaagent:" + s.otelJar()));
                otelArgs.addAll(OTEL_EXPORTERS_OFF);
                return new Config(OTEL, otelArgs, starterOff(), "",
                        "`-javaagent:opentelemetry-javaagent.jar` with `-Dotel.traces.exporter=none "
                                + "-Dotel.metrics.exporter=none -Dotel.logs.exporter=none`");
            case STARTER:
                if (appHasStarter()) {
                    return new Config(STARTER, List.of(), List.of("--querylens.enabled=true"), "",
                            "the starter packaged in the demo jar, `--querylens.enabled=true`");
                }
                if (s.starterJars().isEmpty() || !s.starterJars().stream().allMatch(Files::exists)) {
                    System.out.println("[load] skipping " + STARTER + ": the demo jar has no starter and "
                            + "querylens-spring-boot-starter is not built");
                    return null;
                }
                return new Config(STARTER, List.of(), List.of(), starterJarsMissingFromApp().stream()
                        .map(Path::toString).collect(Collectors.joining(",")),
                        "the starter and querylens-core added to the demo jar's classpath with `loader.path`, "
                                + "default settings");
            default:
                throw new IllegalArgumentException("unknown configuration " + name);
        }
    }

    /** When the demo jar packages the starter, every other configuration turns it off. */
    private List<String> starterOff() throws IOException {
        return appHasStarter() ? List.of("--querylens.enabled=false") : List.of();
    }

    /** The starter's jars that the application does not already package (by artifact id, any version). */
    private List<Path> starterJarsMissingFromApp() throws IOException {
        java.util.Set<String> packaged;
        try (JarFile jar = new JarFile(s.appJar().toFile())) {
            packaged = jar.stream().map(e -> e.getName()).filter(n -> n.startsWith("BOOT-INF/lib/"))
                    .map(n -> artifactId(n.substring("BOOT-INF/lib/".length()))).collect(Collectors.toSet());
        }
        return s.starterJars().stream().filter(p -> !packaged.contains(artifactId(p.getFileName().toString())))
                .toList();
    }

    /** {@code datasource-proxy-1.11.0.jar} gives {@code datasource-proxy}. */
    static String artifactId(String jarName) {
        return jarName.replaceFirst("-\\d[^-]*(-SNAPSHOT)?(\\.[A-Za-z]+)?\\.jar$", "").replaceFirst("\\.jar$", "");
    }

    private boolean appHasStarter() throws IOException {
        try (JarFile jar = new JarFile(s.appJar().toFile())) {
            return jar.stream().anyMatch(e -> e.getName().startsWith("BOOT-INF/lib/querylens-spring-boot-starter"));
        }
    }

    /** A started application, ready: its process and how long and how much CPU its start took. */
    private record Started(Process app, Path dir, String base, double startup, double startupCpu,
                           double startupCompilerCpu) {
    }

    /** Starts the application in a configuration and waits until it is ready; stops it if that fails. */
    private Started start(String db, Config config, int round) throws Exception {
        Path dir = s.out().resolve(db + "-" + config.name() + "-" + round);
        Files.createDirectories(dir);
        Path gcLog = dir.resolve("gc.log");
        Files.deleteIfExists(gcLog);
        checkFree(s.appPort());
        checkFree(s.metricsPort());
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xms" + s.heap(), "-Xmx" + s.heap(), "-XX:+UseG1GC"));
        cmd.addAll(JvmProbe.gcLogArgs(gcLog));
        cmd.addAll(config.jvmArgs());
        if (!config.loaderPath().isEmpty()) {
            cmd.add("-Dloader.path=" + config.loaderPath());
        }
        cmd.addAll(List.of("-cp", s.appJar().toString(), "org.springframework.boot.loader.launch.PropertiesLauncher",
                "--server.port=" + s.appPort(), "--server.address=127.0.0.1",
                // the demo's scheduled jobs run on a timer, not per request: a slower configuration would be charged
                // more of their CPU and allocation per request
                "--demo.jobs.initial-delay=1000d"));
        if (db.equals("postgres")) {
            cmd.add("--spring.profiles.active=postgres");
        }
        cmd.addAll(config.appArgs());
        Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n");
        String base = "http://127.0.0.1:" + s.appPort();
        long t0 = System.nanoTime();
        Process app = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("app.log").toFile())
                .start();
        try {
            double startup = awaitHealthy(app, base + "/actuator/health/readiness", t0, dir);
            double startupCpu = JvmProbe.cpuMillis(app.pid()) / 1e3;
            // every compiler thread counted from its start: the CPU it spent before readiness
            double startupCompilerCpu =
                    JvmProbe.compilerCpuBetween(Map.of(), JvmProbe.compilerCpuMillis(app.pid())) / 1e3;
            return new Started(app, dir, base, startup, startupCpu, startupCompilerCpu);
        } catch (Exception | Error e) {
            stop(app);
            throw e;
        }
    }

    /** A start of {@code --startup-rounds}: started, checked to be what its name says, stopped. */
    Run startOnce(String db, Config config, int round) throws Exception {
        Started started = start(db, config, round);
        try {
            checkActive(config, started.base());
            return Run.startupOnly(db, config.name(), round, started.startup(), started.startupCpu(),
                    started.startupCompilerCpu());
        } finally {
            stop(started.app());
        }
    }

    Run runOnce(String db, Config config, int round, String wrk, Path script, Path pacedScript) throws Exception {
        Started started = start(db, config, round);
        Process app = started.app();
        Path dir = started.dir();
        Path gcLog = dir.resolve("gc.log");
        String base = started.base();
        try {
            Warmup warmup = warmUp(app.pid(), wrk, base, script, dir);
            checkActive(config, base);
            long pid = app.pid();
            Map<String, String> before = probe.counters(pid);
            long gcFrom = JvmProbe.size(gcLog);
            Window measured = measure(pid, wrk, base, script, s.duration(), dir.resolve("wrk.log"));
            Map<String, String> after = probe.counters(pid);
            long reclaimed = JvmProbe.reclaimedSince(gcLog, gcFrom);
            double alloc = reclaimed + JvmProbe.heapUsed(after) - JvmProbe.heapUsed(before);
            Window paced = s.pacedDuration().isZero() ? null
                    : measure(pid, wrk, base, pacedScript, s.pacedDuration(), dir.resolve("wrk-paced.log"));
            for (Window w : new Window[] {measured, paced}) {
                if (w != null && (w.load().non2xx() > 0 || w.load().socketErrors() > 0)) {
                    System.out.println("[load] WARNING " + db + " " + config.name() + " round " + round
                            + (w == paced ? ", paced" : "") + ": " + w.load().non2xx() + " non-2xx responses, "
                            + w.load().socketErrors() + " socket errors (see " + dir.resolve("app.log") + ")");
                }
            }
            return new Run(db, config.name(), round, started.startup(), started.startupCpu(),
                    started.startupCompilerCpu(), warmup, measured, alloc, paced, JvmProbe.peakThreads(after));
        } finally {
            stop(app);
        }
    }

    /** The length of one warm-up slice after the shortest warm-up, when the JIT is watched for settling. */
    static final Duration WARMUP_SLICE = Duration.ofSeconds(10);

    /**
     * Loads the application for {@code --warmup}; then, when {@code --max-warmup} is longer, in slices of
     * {@link #WARMUP_SLICE} until the JIT compiler threads took at most {@code --settled-jit} percent of the
     * process's CPU in a slice, or the longest warm-up ran out. On 2 cores the JIT still takes a quarter of the CPU a
     * minute into the load and per-request CPU keeps falling for minutes: a window measured before the JIT settles
     * measures how fast each configuration's code gets compiled, not what its requests cost.
     */
    private Warmup warmUp(long pid, String wrk, String base, Path script, Path dir)
            throws IOException, InterruptedException {
        Window first = measure(pid, wrk, base, script, s.warmup(), dir.resolve("wrk-warmup.log"));
        Duration done = s.warmup();
        double share = first.jitPercent();
        int slice = 0;
        while (share > s.settledJitPercent() && done.plus(WARMUP_SLICE).compareTo(s.maxWarmup()) <= 0) {
            Window w = measure(pid, wrk, base, script, WARMUP_SLICE,
                    dir.resolve("wrk-warmup-" + (++slice) + ".log"));
            done = done.plus(WARMUP_SLICE);
            share = w.jitPercent();
            System.out.printf(Locale.ROOT, "[load]   warmed up %d s: JIT %.1f%% of the CPU in the last %d s%n",
                    done.toSeconds(), share, WARMUP_SLICE.toSeconds());
        }
        return new Warmup(done.toSeconds(), share <= s.settledJitPercent());
    }

    /** Runs wrk once and reads the application's CPU time around it. */
    private Window measure(long pid, String wrk, String base, Path script, Duration duration, Path log)
            throws IOException, InterruptedException {
        Map<String, Long> compilersBefore = JvmProbe.compilerCpuMillis(pid);
        long cpuBefore = JvmProbe.cpuMillis(pid);
        Wrk.Result load = Wrk.run(wrk, base, script, s.connections(), duration, log);
        long cpu = JvmProbe.cpuMillis(pid) - cpuBefore;
        return new Window(load, cpu, JvmProbe.compilerCpuBetween(compilersBefore, JvmProbe.compilerCpuMillis(pid)));
    }

    /** Seconds from the process start to the first 200 of the readiness URL, polled every 50 ms. */
    private double awaitHealthy(Process app, String url, long t0, Path dir) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
        long deadline = t0 + s.startTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (!app.isAlive()) {
                throw new IOException("the application stopped while starting: see " + dir.resolve("app.log"));
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - t0) / 1e9;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IOException("the application was not ready after " + s.startTimeout() + ": see "
                + dir.resolve("app.log"));
    }

    /** Fails the run when a configuration is not what its name says (say, Querylens watching the baseline). */
    private void checkActive(Config config, String base) throws Exception {
        String appMetrics = get(base + "/actuator/prometheus");
        boolean inApp = appMetrics.contains("querylens_statements");
        switch (config.name()) {
            case AGENT -> {
                String agentMetrics = get("http://127.0.0.1:" + s.metricsPort() + "/metrics");
                if (!agentMetrics.contains("querylens_")) {
                    throw new IOException("the Querylens agent's metrics are not served on port " + s.metricsPort());
                }
            }
            case STARTER -> {
                if (!inApp) {
                    throw new IOException("the starter's meters are not in /actuator/prometheus");
                }
            }
            default -> {
                if (inApp) {
                    throw new IOException(config.name() + " must not run Querylens, but its meters are present");
                }
            }
        }
    }

    private String get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode());
        }
        return r.body();
    }

    private static void stop(Process app) throws InterruptedException {
        app.destroy();
        if (!app.waitFor(30, TimeUnit.SECONDS)) {
            app.destroyForcibly();
            app.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void checkFree(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        } catch (IOException free) {
            return;
        }
        throw new IOException("port " + port + " on 127.0.0.1 is in use: pass --port / --metrics-port");
    }

    private static void require(Path file, String what) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException(what + " is missing: " + file);
        }
    }

    /**
     * The request mix: the demo shop's six endpoints in turn (the N+1 list and its fix, the unindexed search, the
     * indexed lookup, the dashboard that repeats a lookup and its fix), 100 different keys each.
     */
    static List<String> paths() {
        List<String> paths = new ArrayList<>();
        for (int k = 0; k < 100; k++) {
            long order = 1000 + k * 37L;
            long customer = 10 + k * 13L;
            paths.add("/orders/recent?limit=50");
            paths.add("/orders/recent-fixed?limit=50");
            paths.add(String.format(Locale.ROOT, "/orders/by-tracking/1Z%010d", order * 7919 + 13));
            paths.add(String.format(Locale.ROOT, "/orders/by-reference/ORD-%07d", order));
            paths.add("/customers/" + customer + "/dashboard");
            paths.add("/customers/" + customer + "/dashboard-fixed");
        }
        return paths;
    }
}
