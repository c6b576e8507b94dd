package dev.querylens.benchmarks.load;

import dev.querylens.benchmarks.report.ResultsFile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What an agent's own start costs: an empty {@code main} ({@link EmptyMain}) started many times, with no agent, the
 * Querylens agent and the OpenTelemetry agent in turn (the order rotated each round), on each JDK given. The CPU time
 * of the whole process (all threads) and of its JIT compiler threads is read from {@code /proc} when {@code main}
 * has run. Unlike the demo's start, where the agent's second or so is a few percent of a start that scatters by more,
 * nothing else runs here, so the agent's cost is most of the figure. Writes the {@code startup} section of
 * RESULTS.md.
 */
public final class StartupSuite {

    static final String NONE = LoadSuite.NONE;
    static final String AGENT = LoadSuite.AGENT;
    static final String OTEL = LoadSuite.OTEL;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** Everything the run is told, from {@code --key value} arguments. */
    record Settings(Path agentJar, Path otelJar, List<Path> javas, List<String> configs, int rounds, Path results,
                    String command) {
    }

    /** One start: CPU of the process and of its JIT compiler threads when {@code main} had run, in seconds. */
    record Start(String java, String config, int round, double cpuSeconds, double compilerCpuSeconds) {
        double cpuSecondsOutsideJit() {
            return cpuSeconds - compilerCpuSeconds;
        }
    }

    private final Settings s;

    StartupSuite(Settings settings) {
        this.s = settings;
    }

    public static void main(String[] args) throws Exception {
        new StartupSuite(parse(args)).runAll();
    }

    static Settings parse(String[] args) {
        Map<String, String> a = LoadSuite.options(args);
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "20"));
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
        }
        List<Path> javas = new ArrayList<>();
        for (String java : a.getOrDefault("javas", Path.of(System.getProperty("java.home"), "bin", "java").toString())
                .split(",")) {
            javas.add(Path.of(java));
        }
        List<String> configs = List.of(a.getOrDefault("configs", String.join(",", NONE, AGENT, OTEL)).split(","));
        for (String c : configs) {
            if (!List.of(NONE, AGENT, OTEL).contains(c)) {
                throw new IllegalArgumentException("unknown configuration " + c + "; accepted: " + NONE + ", " + AGENT
                        + ", " + OTEL);
            }
        }
        return new Settings(Path.of(a.getOrDefault("agent-jar", "agent/target/querylens-agent.jar")),
                Path.of(a.getOrDefault("otel-jar", "benchmarks/target/otel/opentelemetry-javaagent.jar")), javas,
                configs, rounds, Path.of(a.getOrDefault("results", "benchmarks/RESULTS.md")),
                a.getOrDefault("command", "benchmarks/run-startup.sh"));
    }

    /** The JVM options of a configuration: the agent's metrics endpoint off, the OpenTelemetry agent's exporters. */
    List<String> agentArgs(String config) {
        return switch (config) {
            case AGENT -> List.of("-javaagent:" + s.agentJar().toAbsolutePath() + "=querylens.prometheus.port=0");
            case OTEL -> {
                List<String> otel = new ArrayList<>(List.of("-javaagent:" + s.otelJar().toAbsolutePath()));
                otel.addAll(LoadSuite.OTEL_EXPORTERS_OFF);
                yield otel;
            }
            default -> List.of();
        };
    }

    void runAll() throws Exception {
        List<String> configs = new ArrayList<>();
        for (String c : s.configs()) {
            Path jar = c.equals(AGENT) ? s.agentJar() : c.equals(OTEL) ? s.otelJar() : null;
            if (jar != null && !Files.exists(jar)) {
                System.out.println("[startup] skipping " + c + ": " + jar + " is not there");
            } else {
                configs.add(c);
            }
        }
        String classPath = Path.of(EmptyMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        String loadBefore = ResultsFile.loadAverage();
        String revision = ResultsFile.revision();
        long started = System.nanoTime();
        List<Start> starts = new ArrayList<>();
        for (Path java : s.javas()) {
            String version = javaVersion(java);
            for (int round = 1; round <= s.rounds(); round++) {
                for (String config : LoadSuite.roundOrder(configs, round)) {
                    Start start = startOnce(java, version, config, round, classPath);
                    starts.add(start);
                    System.out.printf(Locale.ROOT, "[startup] %s %-16s round %d: %.2f s CPU (%.2f outside JIT)%n",
                            version, config, round, start.cpuSeconds(), start.cpuSecondsOutsideJit());
                }
            }
        }
        long minutes = Math.round((System.nanoTime() - started) / 60e9);
        String report = render(s, configs, starts, revision, loadBefore, ResultsFile.loadAverage(), minutes);
        ResultsFile.writeSection(s.results(), "startup", report);
        System.out.println();
        System.out.println(report);
        System.out.println("Written to " + s.results());
    }

    private Start startOnce(Path java, String version, String config, int round, String classPath) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(agentArgs(config));
        cmd.addAll(List.of("-cp", classPath, EmptyMain.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            String line;
            while ((line = out.readLine()) != null && !line.contains(EmptyMain.READY)) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(config + " did not start within " + START_TIMEOUT);
                }
            }
            if (line == null) {
                throw new IOException(config + " on " + version + " ended before its main ran: " + cmd);
            }
            long cpu = JvmProbe.cpuMillis(p.pid());
            long compilers = JvmProbe.compilerCpuBetween(Map.of(), JvmProbe.compilerCpuMillis(p.pid()));
            return new Start(version, config, round, cpu / 1e3, compilers / 1e3);
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    private static String javaVersion(Path java) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java.toString(), "-XshowSettings:properties", "-version")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        String vendor = "";
        String version = "unknown";
        for (String line : out.split("\n")) {
            String t = line.strip();
            if (t.startsWith("java.runtime.version = ")) {
                version = t.substring("java.runtime.version = ".length());
            } else if (t.startsWith("java.vendor = ")) {
                vendor = t.substring("java.vendor = ".length());
            }
        }
        return version + (vendor.isEmpty() ? "" : " (" + vendor + ")");
    }

    static String render(Settings s, List<String> configs, List<Start> starts, String revision, String loadBefore,
                         String loadAfter, long minutes) {
        StringBuilder b = new StringBuilder();
        b.append("## Startup: an empty `main` with each agent\n\n");
        b.append("- Run: ").append(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append(", about ").append(minutes).append(" min\n");
        b.append("- Code: commit ").append(revision).append('\n');
        b.append(ResultsFile.machine());
        b.append("- Load average (1, 5, 15 min) before: ").append(loadBefore).append("; after: ").append(loadAfter)
                .append('\n');
        b.append("- Command: `").append(s.command()).append("`\n");
        b.append("- Rounds: ").append(s.rounds()).append(" per JDK; in each round every configuration starts once, in ")
                .append("an order rotated by one each round. Each start runs `").append(EmptyMain.class.getName())
                .append("`, whose `main` only prints a line; the CPU time of the process (user + system, all threads, ")
                .append("`/proc/PID/stat`) and of its JIT compiler threads is read when that line arrives.\n");
        b.append("- Configurations: `none` (no agent); `querylens-agent` (`-javaagent:querylens-agent.jar=")
                .append("querylens.prometheus.port=0`: the metrics endpoint off, which the empty application could ")
                .append("not use); `otel-agent` (`-javaagent:opentelemetry-javaagent.jar`, its exporters off)\n");
        b.append("- Each cell: the median over rounds, with the minimum and maximum in parentheses; "
                + "\"added\" is the median less `none`'s median.\n\n");
        for (String java : starts.stream().map(Start::java).distinct().toList()) {
            b.append("### ").append(java).append("\n\n");
            b.append("| configuration | CPU (s) | CPU outside JIT (s) | added CPU (s) | added CPU outside JIT (s) |\n");
            b.append("|---|---:|---:|---:|---:|\n");
            List<Start> none = of(starts, java, NONE);
            double noneCpu = LoadReport.Spread.of(none, Start::cpuSeconds).median();
            double noneOutside = LoadReport.Spread.of(none, Start::cpuSecondsOutsideJit).median();
            for (String config : configs) {
                List<Start> mine = of(starts, java, config);
                LoadReport.Spread cpu = LoadReport.Spread.of(mine, Start::cpuSeconds);
                LoadReport.Spread outside = LoadReport.Spread.of(mine, Start::cpuSecondsOutsideJit);
                b.append("| `").append(config).append("` | ").append(cpu.text()).append(" | ")
                        .append(outside.text()).append(" | ");
                if (none.isEmpty() || config.equals(NONE)) {
                    b.append("| |\n");
                } else {
                    b.append(String.format(Locale.ROOT, "%+.2f | %+.2f |%n", cpu.median() - noneCpu,
                            outside.median() - noneOutside));
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static List<Start> of(List<Start> starts, String java, String config) {
        return starts.stream().filter(x -> x.java().equals(java) && x.config().equals(config)).toList();
    }
}
