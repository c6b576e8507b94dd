package dev.querylens.benchmarks.load;

import dev.querylens.benchmarks.report.ResultsFile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** The {@code load} section of RESULTS.md. */
final class LoadReport {

    private LoadReport() {
    }

    /** One figure of a run, whether more is better, its unit and how many decimals it deserves. */
    record Figure(String name, String unit, boolean higherIsBetter, ToDoubleFunction<LoadSuite.Run> value) {
    }

    static final List<Figure> FIGURES = List.of(
            new Figure("throughput", "req/s", true, LoadSuite.Run::throughput),
            new Figure("p50 latency", "ms", false, LoadSuite.Run::p50Millis),
            new Figure("p99 latency", "ms", false, LoadSuite.Run::p99Millis),
            new Figure("allocation rate", "MB/s", false, LoadSuite.Run::allocMbPerSecond),
            new Figure("allocation per request", "KB", false, LoadSuite.Run::allocKbPerRequest),
            new Figure("CPU per request", "ms", false, LoadSuite.Run::cpuMillisPerRequest),
            new Figure("CPU per request outside JIT", "ms", false, LoadSuite.Run::cpuMillisPerRequestOutsideJit),
            new Figure("paced throughput", "req/s", true, LoadSuite.Run::pacedThroughput),
            new Figure("paced CPU per request", "ms", false, LoadSuite.Run::pacedCpuMillisPerRequest),
            new Figure("paced CPU per request outside JIT", "ms", false,
                    LoadSuite.Run::pacedCpuMillisPerRequestOutsideJit),
            new Figure("startup", "s", false, LoadSuite.Run::startupSeconds),
            new Figure("startup CPU", "s", false, LoadSuite.Run::startupCpuSeconds),
            new Figure("startup CPU outside JIT", "s", false, LoadSuite.Run::startupCpuSecondsOutsideJit),
            new Figure("peak threads", "", false, LoadSuite.Run::peakThreadsFigure));

    /** The section of RESULTS.md a run writes: {@code load}, or {@code load-startup} for a run of starts only. */
    static String section(LoadSuite.Settings s) {
        return s.rounds() == 0 ? "load-startup" : "load";
    }

    /** Median, min and max over rounds; a NaN (a figure the start did not measure) is left out. */
    record Spread(double median, double min, double max) {
        static <T> Spread of(List<T> runs, ToDoubleFunction<T> f) {
            double[] v = runs.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).sorted().toArray();
            if (v.length == 0) {
                return new Spread(Double.NaN, Double.NaN, Double.NaN);
            }
            double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            return new Spread(median, v[0], v[v.length - 1]);
        }

        String text() {
            if (Double.isNaN(median)) {
                return "n/a";
            }
            return min == max ? ResultsFile.num(median)
                    : ResultsFile.num(median) + " (" + ResultsFile.num(min) + "–" + ResultsFile.num(max) + ")";
        }

        boolean overlaps(Spread o) {
            return min <= o.max && o.min <= max;
        }
    }

    static String render(LoadSuite.Settings s, Map<String, LoadSuite.Config> configs, List<String> skipped,
                         List<LoadSuite.Run> runs, List<String> paths, String revision, String loadBefore,
                         String loadAfter, long minutes) {
        StringBuilder out = new StringBuilder(s.rounds() == 0 ? "## Startup: the demo shop, started many times\n\n"
                : "## End to end: the demo shop under load\n\n");
        out.append("- Run: ").append(ResultsFile.now()).append(", about ").append(minutes).append(" min\n");
        out.append("- Code: commit ").append(revision).append('\n');
        out.append(ResultsFile.machine());
        out.append("- Load average (1, 5, 15 min) before: ").append(loadBefore).append("; after: ").append(loadAfter)
                .append(" (2 cores: a load above 1 means other work shared the machine)\n");
        out.append("- Command: `").append(s.command()).append("`\n");
        if (s.rounds() > 0) {
            out.append("- Rounds: ").append(s.rounds()).append(" per database; in each round every configuration is "
                    + "started afresh, in an order rotated by one each round. Per start: wait for the first 200 of "
                    + "`/actuator/health/readiness`, ").append(warmupText(s)).append(", then ")
                    .append(s.duration().toSeconds()).append(" s measured")
                    .append(s.pacedDuration().isZero() ? "" : ", then " + s.pacedDuration().toSeconds() + " s measured "
                            + "paced (each connection waits " + s.thinkMillis() + " ms before each request)")
                    .append(".\n");
        }
        if (s.startupRounds() > 0) {
            out.append("- Startup rounds: ").append(s.startupRounds()).append(" more per database")
                    .append(s.rounds() == 0 ? "" : ", after the rounds above")
                    .append(", in the same rotated order: each start is stopped at its first 200 of "
                            + "`/actuator/health/readiness`, without load. The startup figures are over every start")
                    .append(s.rounds() == 0 ? "; no other figure is measured" : " of both kinds; the others over the "
                            + "loaded starts only").append(": one start's startup CPU scatters by ±10% on 2 cores, "
                            + "more than the bound it is held to.\n");
        }
        if (s.rounds() > 0) {
            out.append("- Load: wrk 4.1 (Debian), 1 thread, ").append(s.connections()).append(" connections to "
                    + "127.0.0.1, closed loop (each connection sends its next request when the previous one is answered), "
                    + "at most ").append(String.format(Locale.ROOT, "%,d", s.maxRequests())).append(" responses per run. "
                    + "Requests cycle through ").append(paths.size()).append(" paths: the demo's six endpoints in turn "
                    + "(`/orders/recent?limit=50` with its N+1, `/orders/recent-fixed`, `/orders/by-tracking/{code}` on an "
                    + "unindexed column, `/orders/by-reference/{ref}`, `/customers/{id}/dashboard` with its repeated "
                    + "lookup, `/customers/{id}/dashboard-fixed`), 100 keys each.\n");
        }
        out.append("- JVM: `-Xms").append(s.heap()).append(" -Xmx").append(s.heap()).append(" -XX:+UseG1GC "
                + "-Xlog:gc:file=...`, the demo jar launched with Spring Boot's `PropertiesLauncher` in every "
                + "configuration, with its scheduled jobs off (`--demo.jobs.initial-delay=1000d`: they run on a "
                + "timer, so a slower configuration would be charged more of them per request).\n");
        out.append("- Configurations:\n");
        configs.values().forEach(c -> out.append("  - `").append(c.name()).append("`: ").append(c.note()).append('\n'));
        skipped.forEach(c -> out.append("  - `").append(c).append("`: **not measured** (what it needs is not "
                + "built on this branch; see the run's output)\n"));
        out.append("- How each figure is taken:\n");
        if (s.rounds() > 0) {
            out.append("""
                  - throughput, p50, p99: wrk's own count and latency histogram over the measured window;
                  - allocation: heap reclaimed by every collection in the window (before minus after, from the
                    `-Xlog:gc` lines) plus the change in heap in use between the window's start and end (the
                    `sun.gc.generation.*.space.*.used` counters read with `jstat -snap`, which does not attach to the
                    JVM); per second and per request;
                  - CPU per request: user + system CPU time of the application's process (`/proc/PID/stat`) over the
                    window, divided by the requests answered;
                  - CPU per request outside JIT: the same, less the CPU time of the JVM's JIT compiler threads
                    (`C1/C2 CompilerThread`, from `/proc/PID/task/*/stat`) in the window: how much the JIT still
                    compiles after the warm-up differs from one start to the next and is not work done per request;
                  - paced: after the measured window, a second one of the same connections, each waiting the think
                    time before every request it sends, so the offered load stays below what every configuration can
                    serve and the machine is not saturated: its throughput is then set by the load, and its CPU per
                    request is the work each request costs, without what a saturated machine's scheduling adds to it;
                """);
        }
        out.append("""
                  - startup: from just before the process is started to the first 200 of
                    `/actuator/health/readiness` (polled every 50 ms); the demo seeds its database while starting;
                  - startup CPU: user + system CPU time of the application's process at that first 200 (it does not
                    grow while the process waits for a core, so it is the steadier startup figure on a shared
                    machine);
                  - startup CPU outside JIT: the same, less the CPU time of the JIT compiler threads at that first
                    200: on 2 cores most of a start's CPU is the compilers', and how much they compile before
                    readiness scatters from start to start;
                """);
        if (s.rounds() > 0) {
            out.append("""
                  - peak threads: the JVM's `java.threads.livePeak` counter at the end of the run (live Java threads,
                    peak since start).
                """);
        }
        out.append("""
                - Each cell: the median over rounds, with the minimum and maximum in parentheses.

                """);
        for (String db : s.databases()) {
            List<LoadSuite.Run> dbRuns = runs.stream().filter(r -> r.db().equals(db)).toList();
            if (dbRuns.isEmpty()) {
                continue;
            }
            out.append("### ").append(db.equals("h2") ? "H2 (in memory)" : "PostgreSQL (127.0.0.1:5432, database test)")
                    .append("\n\n");
            table(out, configs, dbRuns);
            List<LoadSuite.Run> loaded = dbRuns.stream().filter(LoadSuite.Run::loaded).toList();
            if (!loaded.isEmpty()) {
                warmups(out, configs, loaded);
                byStart(out, configs, loaded);
            }
            targets(out, configs, dbRuns);
        }
        return out.toString();
    }

    /** How a start is warmed up: for a fixed time, or until the JIT settles. */
    static String warmupText(LoadSuite.Settings s) {
        if (s.maxWarmup().compareTo(s.warmup()) <= 0) {
            return s.warmup().toSeconds() + " s of load to warm up";
        }
        return String.format(Locale.ROOT, "load to warm up for at least %d s, then in slices of %d s until the JIT "
                        + "compiler threads took at most %s%% of the process's CPU in a slice (at most %d s in all)",
                s.warmup().toSeconds(), LoadSuite.WARMUP_SLICE.toSeconds(), ResultsFile.num(s.settledJitPercent()),
                s.maxWarmup().toSeconds());
    }

    /**
     * Per configuration: how long its starts were warmed up, how many of them the JIT settled in, and the JIT's share
     * of the CPU in the measured window, which tells how much of "CPU per request" is still compilation.
     */
    private static void warmups(StringBuilder out, Map<String, LoadSuite.Config> configs, List<LoadSuite.Run> runs) {
        out.append("Warm-up taken (s) and the JIT's share of the CPU in the measured window (%), median (min–max):\n\n");
        for (String c : configs.keySet()) {
            List<LoadSuite.Run> mine = runs.stream().filter(r -> r.config().equals(c)).toList();
            long settled = mine.stream().filter(r -> r.warmup().settled()).count();
            out.append("- `").append(c).append("`: warm-up ")
                    .append(Spread.of(mine, r -> r.warmup().seconds()).text()).append(" s, JIT settled in ")
                    .append(settled).append(" of ").append(mine.size()).append(" starts; JIT in the measured window ")
                    .append(Spread.of(mine, r -> r.measured().jitPercent()).text()).append(" %\n");
        }
        out.append('\n');
    }

    /**
     * Per configuration: CPU per request at saturation, start by start in round order. A median over a few starts hides
     * a figure that comes in modes (the demo's H2 requests did, while H2 re-parsed more or less of their SQL from start
     * to start), which the list shows.
     */
    static void byStart(StringBuilder out, Map<String, LoadSuite.Config> configs, List<LoadSuite.Run> runs) {
        out.append("CPU per request (ms), start by start in round order:\n\n");
        for (String c : configs.keySet()) {
            String starts = runs.stream().filter(r -> r.config().equals(c))
                    .sorted(Comparator.comparingInt(LoadSuite.Run::round))
                    .map(r -> ResultsFile.num(r.cpuMillisPerRequest()))
                    .collect(Collectors.joining(", "));
            out.append("- `").append(c).append("`: ").append(starts.isEmpty() ? "no start" : starts).append('\n');
        }
        out.append('\n');
    }

    private static void table(StringBuilder out, Map<String, LoadSuite.Config> configs, List<LoadSuite.Run> runs) {
        // a run of starts only measures the startup figures
        List<Figure> shown = FIGURES.stream()
                .filter(f -> runs.stream().anyMatch(r -> !Double.isNaN(f.value().applyAsDouble(r)))).toList();
        out.append("| configuration |");
        for (Figure f : shown) {
            out.append(' ').append(f.name()).append(f.unit().isEmpty() ? "" : " (" + f.unit() + ")").append(" |");
        }
        out.append("\n|---|");
        shown.forEach(f -> out.append("---:|"));
        out.append('\n');
        for (String c : configs.keySet()) {
            List<LoadSuite.Run> mine = runs.stream().filter(r -> r.config().equals(c)).toList();
            out.append("| `").append(c).append("` |");
            for (Figure f : shown) {
                out.append(' ').append(Spread.of(mine, f.value()).text()).append(" |");
            }
            out.append('\n');
        }
        out.append("\nRatio of medians to `none`:\n\n| configuration |");
        shown.forEach(f -> out.append(' ').append(f.name()).append(" |"));
        out.append("\n|---|");
        shown.forEach(f -> out.append("---:|"));
        out.append('\n');
        List<LoadSuite.Run> none = runs.stream().filter(r -> r.config().equals(LoadSuite.NONE)).toList();
        for (String c : configs.keySet()) {
            if (c.equals(LoadSuite.NONE)) {
                continue;
            }
            List<LoadSuite.Run> mine = runs.stream().filter(r -> r.config().equals(c)).toList();
            out.append("| `").append(c).append("` |");
            for (Figure f : shown) {
                double base = Spread.of(none, f.value()).median();
                double v = Spread.of(mine, f.value()).median();
                out.append(' ').append(String.format(Locale.ROOT, "%.3f", v / base)).append(" |");
            }
            out.append('\n');
        }
        out.append('\n');
    }

    private static void targets(StringBuilder out, Map<String, LoadSuite.Config> configs, List<LoadSuite.Run> runs) {
        List<LoadSuite.Run> none = runs.stream().filter(r -> r.config().equals(LoadSuite.NONE)).toList();
        List<LoadSuite.Run> otel = runs.stream().filter(r -> r.config().equals(LoadSuite.OTEL)).toList();
        if (none.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        // a run of starts only has no load figures to judge
        boolean loaded = none.stream().anyMatch(LoadSuite.Run::loaded);
        for (String c : List.of(LoadSuite.AGENT, LoadSuite.STARTER)) {
            if (!configs.containsKey(c)) {
                continue;
            }
            List<LoadSuite.Run> mine = runs.stream().filter(r -> r.config().equals(c)).toList();
            if (loaded) {
                lines.add(relative(c, "throughput", none, mine, 0.97, "≥ 97% of"));
                lines.add(relative(c, "CPU per request", none, mine, 1.03, "≤ +3% vs"));
                lines.add(relative(c, "CPU per request outside JIT", none, mine, 1.03, "≤ +3% vs"));
                if (!Double.isNaN(Spread.of(none, figure("paced CPU per request").value()).median())) {
                    lines.add(relative(c, "paced CPU per request", none, mine, 1.03, "≤ +3% vs"));
                    lines.add(relative(c, "paced CPU per request outside JIT", none, mine, 1.03, "≤ +3% vs"));
                }
                lines.add(relative(c, "allocation per request", none, mine, 1.05, "≤ +5% vs"));
            }
            lines.add(relative(c, "startup CPU", none, mine, 1.10, "≤ +10% vs"));
            lines.add(relative(c, "startup CPU outside JIT", none, mine, 1.10, "≤ +10% vs"));
            if (loaded) {
                Figure threads = figure("peak threads");
                double extraThreads =
                        Spread.of(mine, threads.value()).median() - Spread.of(none, threads.value()).median();
                lines.add(String.format(Locale.ROOT, "- `%s` peak threads %+.1f vs `none` (target ≤ +2): **%s**", c,
                        extraThreads, extraThreads <= 2 ? "met" : "MISSED"));
            }
            if (!otel.isEmpty()) {
                lines.addAll(againstOtel(c, none, mine, otel));
            }
        }
        if (!lines.isEmpty()) {
            out.append("Targets (overhead = how much worse than `none`, medians):\n\n");
            lines.forEach(l -> out.append(l).append('\n'));
            out.append('\n');
        }
    }

    /**
     * The figures the targets bound, on each of which the agent's overhead is to be lower than the OpenTelemetry
     * agent's. The others (throughput, latency, allocation rate...) follow from these or from the machine's
     * saturation (a configuration that serves more requests per second allocates more per second): they are listed,
     * not judged.
     */
    static final List<String> OTEL_TARGET_FIGURES =
            List.of("CPU per request", "allocation per request", "startup CPU", "peak threads");

    /** The comparison with the OpenTelemetry agent's overhead: judged on the target figures, listed on the rest. */
    static List<String> againstOtel(String config, List<LoadSuite.Run> none, List<LoadSuite.Run> mine,
                                    List<LoadSuite.Run> otel) {
        Comparison targets = new Comparison();
        Comparison others = new Comparison();
        List<String> judged = new ArrayList<>();
        for (Figure f : FIGURES) {
            if (f.name().equals("paced throughput")) {
                continue; // set by the load, not by the configuration
            }
            double n = Spread.of(none, f.value()).median();
            if (Double.isNaN(n)) {
                continue; // not measured in this run (no paced window)
            }
            Spread q = Spread.of(mine, f.value());
            Spread o = Spread.of(otel, f.value());
            // overhead: how much worse than no agent, in the figure's own direction
            double qo = f.higherIsBetter() ? n - q.median() : q.median() - n;
            double oo = f.higherIsBetter() ? n - o.median() : o.median() - n;
            String item = String.format(Locale.ROOT, "%s (%s vs %s%s)", f.name(), signed(qo, f), signed(oo, f),
                    q.overlaps(o) ? ", ranges overlap" : "");
            boolean target = OTEL_TARGET_FIGURES.contains(f.name());
            if (target) {
                judged.add(f.name());
            }
            (target ? targets : others).add(qo < oo, item);
        }
        List<String> measured = OTEL_TARGET_FIGURES.stream().filter(judged::contains).toList();
        List<String> lines = new ArrayList<>(List.of(
                "- `" + config + "` overhead lower than the OpenTelemetry agent's on each target figure"
                        + (measured.size() < OTEL_TARGET_FIGURES.size() ? " measured" : "") + " ("
                        + String.join(", ", measured) + "): **" + (targets.worse.isEmpty() ? "met" : "MISSED")
                        + "**. " + targets.text()));
        if (!others.lower.isEmpty() || !others.worse.isEmpty()) {
            lines.add("- `" + config + "` against the OpenTelemetry agent on the other figures (not targets): "
                    + others.text());
        }
        return lines;
    }

    /** Figures on which a configuration's overhead is lower than another's, and those on which it is not. */
    private static final class Comparison {
        final List<String> lower = new ArrayList<>();
        final List<String> worse = new ArrayList<>();

        void add(boolean isLower, String item) {
            (isLower ? lower : worse).add(item);
        }

        String text() {
            return (lower.isEmpty() ? "" : "Lower on: " + String.join("; ", lower) + (worse.isEmpty() ? "" : ". "))
                    + (worse.isEmpty() ? "" : "Not lower on: " + String.join("; ", worse));
        }
    }

    static Figure figure(String name) {
        return FIGURES.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    /** A target on the ratio of medians: at least {@code bound} when more is better, at most otherwise. */
    private static String relative(String config, String name, List<LoadSuite.Run> none, List<LoadSuite.Run> mine,
                                   double bound, String target) {
        Figure f = figure(name);
        double ratio = Spread.of(mine, f.value()).median() / Spread.of(none, f.value()).median();
        boolean met = f.higherIsBetter() ? ratio >= bound : ratio <= bound;
        String value = f.higherIsBetter() ? String.format(Locale.ROOT, "%.1f%% of", 100 * ratio)
                : String.format(Locale.ROOT, "%+.1f%% vs", 100 * (ratio - 1));
        return String.format(Locale.ROOT, "- `%s` %s %s `none` (target %s `none`): **%s**", config, name, value, target,
                met ? "met" : "MISSED");
    }

    private static String signed(double v, Figure f) {
        return (v >= 0 ? "+" : "") + ResultsFile.num(v) + (f.unit().isEmpty() ? "" : " " + f.unit());
    }
}
