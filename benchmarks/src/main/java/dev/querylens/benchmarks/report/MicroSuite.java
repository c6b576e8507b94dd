package dev.querylens.benchmarks.report;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the JMH benchmarks with {@code -prof gc} (JMH's own command-line options pass through) and writes the
 * {@code micro} section of {@code benchmarks/RESULTS.md}: every figure with its JMH error (99.9% confidence
 * interval), the differences and ratios to each baseline, and the targets.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.querylens.benchmarks.report.MicroSuite <results.md> <command> [jmh options]}
 */
public final class MicroSuite {

    /** What Querylens may add per statement over raw HikariCP + H2: CPU time (and wall-clock time) ... */
    public static final double TARGET_NS = 500;
    /** ... and bytes allocated (the build's allocation check allows twice this). */
    public static final double TARGET_BYTES = 128;
    static final String ALLOC = "gc.alloc.rate.norm";
    static final String CPU = "cpu.time.norm";

    private MicroSuite() {
    }

    public static void main(String[] args) throws Exception {
        Path resultsFile = Path.of(args[0]);
        String command = args[1];
        String[] jmhArgs = java.util.Arrays.copyOfRange(args, 2, args.length);
        CommandLineOptions cmd = new CommandLineOptions(jmhArgs);
        String loadBefore = ResultsFile.loadAverage();
        String revision = ResultsFile.revision();
        long started = System.nanoTime();
        OptionsBuilder builder = new OptionsBuilder();
        builder.parent(cmd);
        if (cmd.getProfilers().stream().noneMatch(p -> p.getKlass().contains("GC") || p.getKlass().equals("gc"))) {
            builder.addProfiler(GCProfiler.class);
        }
        builder.addProfiler(dev.querylens.benchmarks.micro.CpuTimeProfiler.class);
        Path json = Path.of("benchmarks/target/micro.json");
        Files.createDirectories(json.getParent());
        builder.resultFormat(ResultFormatType.JSON).result(json.toString());
        Options options = builder.build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, String> sections = new LinkedHashMap<>();
        long minutes = Math.round((System.nanoTime() - started) / 60e9);
        String loadAfter = ResultsFile.loadAverage();
        sections.putAll(report(results, command, revision, loadBefore, loadAfter, minutes));
        if (Boolean.getBoolean("querylens.bench.allocProfile")) {
            List<String> variants = List.of("raw", "datasource-proxy", "p6spy", "querylens");
            String loadBeforeProfile = ResultsFile.loadAverage();
            String profile = AllocationBreakdown.report("select", AllocationBreakdown.run("select", variants)) + "\n"
                    + AllocationBreakdown.report("insert", AllocationBreakdown.run("insert", variants));
            sections.put("micro-alloc", "## Micro: where the bytes of a statement go\n\n- Run: " + ResultsFile.now()
                    + ", code: commit " + revision + ", load average before: " + loadBeforeProfile
                    + " (the counts do not depend on load)\n- Command: `" + command + "` (its last step)\n\n" + profile);
        }
        for (Map.Entry<String, String> e : sections.entrySet()) {
            ResultsFile.writeSection(resultsFile, e.getKey(), e.getValue());
            System.out.println();
            System.out.println(e.getValue());
        }
        System.out.println("Written to " + resultsFile + " (JMH JSON: " + json + ")");
    }

    /** One measured row: benchmark method, its parameters, time and allocation. */
    record Row(String benchmark, String method, Map<String, String> params, Result<?> time, Result<?> alloc,
               Result<?> cpu, int forks, int warmup, String warmupTime, int iterations, String iterationTime) {
        String param(String key) {
            return params.getOrDefault(key, "");
        }

        double ns() {
            return time.getScore();
        }

        double nsError() {
            return error(time);
        }

        double bytes() {
            return alloc == null ? Double.NaN : alloc.getScore();
        }

        double cpuNs() {
            return cpu == null ? Double.NaN : cpu.getScore();
        }

        double cpuNsError() {
            return cpu == null ? Double.NaN : error(cpu);
        }

        double bytesError() {
            return alloc == null ? Double.NaN : error(alloc);
        }

        static double error(Result<?> r) {
            return r.getScoreError();
        }
    }

    /** The sections of RESULTS.md this run fills, by name: one per benchmark class that ran. */
    static Map<String, String> report(Collection<RunResult> results, String command, String revision, String loadBefore,
                         String loadAfter, long minutes) {
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            var p = r.getParams();
            String full = p.getBenchmark();
            int dot = full.lastIndexOf('.');
            String cls = full.substring(full.lastIndexOf('.', dot - 1) + 1, dot);
            Map<String, String> params = new LinkedHashMap<>();
            for (String key : p.getParamsKeys()) {
                params.put(key, p.getParam(key));
            }
            rows.add(new Row(cls, full.substring(dot + 1), params, r.getPrimaryResult(),
                    r.getSecondaryResults().get(ALLOC), r.getSecondaryResults().get(CPU), p.getForks(), p.getWarmup().getCount(),
                    p.getWarmup().getTime().toString(), p.getMeasurement().getCount(),
                    p.getMeasurement().getTime().toString()));
        }
        Map<String, String> sections = new LinkedHashMap<>();
        String[][] parts = {
                {"micro-statement", "StatementBenchmark", "Micro: per statement"},
                {"micro-unit", "UnitOfWorkBenchmark", "Micro: per request (unit of work)"},
                {"micro-fingerprint", "FingerprintBenchmark", "Micro: the SQL fingerprinter"}};
        for (String[] part : parts) {
            List<Row> mine = rows.stream().filter(r -> r.benchmark().equals(part[1])).toList();
            if (mine.isEmpty()) {
                continue;
            }
            Row first = mine.get(0);
            StringBuilder out = new StringBuilder();
            out.append("## ").append(part[2]).append(" (JMH, `").append(part[1]).append("`)\n\n");
            out.append("- Run: ").append(ResultsFile.now()).append(" (the whole command took about ").append(minutes)
                    .append(" min)\n");
            out.append("- Code: commit ").append(revision).append('\n');
            out.append(ResultsFile.machine());
            out.append("- Load average (1, 5, 15 min) before the command: ").append(loadBefore).append("; after: ")
                    .append(loadAfter).append(" (2 cores: a load above 1 means other work shared the machine)\n");
            out.append("- Command: `").append(command).append("`\n");
            out.append("- JMH: ").append(first.forks()).append(" forks × (").append(first.warmup()).append(" warmup × ")
                    .append(first.warmupTime()).append(" + ").append(first.iterations()).append(" measured × ")
                    .append(first.iterationTime()).append(")\n");
            out.append("- Figures: JMH average (wall-clock) time per operation; CPU time of the benchmark thread per "
                    + "operation (`CpuTimeProfiler`: it does not grow while the thread waits for a core, so it is the "
                    + "steadier figure when the machine is shared); `-prof gc`'s `gc.alloc.rate.norm` (bytes allocated "
                    + "per operation). Each ± JMH's 99.9% confidence half-width; differences to the baseline add the two "
                    + "errors in quadrature.\n\n");
            switch (part[1]) {
                case "StatementBenchmark" -> statements(out, mine);
                case "UnitOfWorkBenchmark" -> units(out, mine);
                default -> fingerprints(out, mine);
            }
            sections.put(part[0], out.toString());
        }
        return sections;
    }

    private static void statements(StringBuilder out, List<Row> rows) {
        List<Row> mine = rows.stream().filter(r -> r.benchmark().equals("StatementBenchmark")).toList();
        if (mine.isEmpty()) {
            return;
        }
        out.append("H2 in memory through HikariCP. Baseline: `raw` (plain HikariCP). One operation = prepare, bind, "
                + "execute, read, close.\n\n");
        table(out, mine, "variant");
        List<String> verdicts = new ArrayList<>();
        for (String method : List.of("select", "insert")) {
            Row raw = find(mine, method, "variant", "raw");
            Row ql = find(mine, method, "variant", "querylens");
            Row p6 = find(mine, method, "variant", "p6spy");
            if (raw == null || ql == null) {
                continue;
            }
            double dt = ql.ns() - raw.ns();
            double dtErr = Math.hypot(ql.nsError(), raw.nsError());
            verdicts.add(String.format(Locale.ROOT, "- `%s`: Querylens adds %s ± %s ns per statement (target ≤ %s): **%s**",
                    method, ResultsFile.num(dt), ResultsFile.num(dtErr), ResultsFile.num(TARGET_NS),
                    verdict(dt, dtErr, TARGET_NS)));
            if (!Double.isNaN(ql.cpuNs())) {
                double dc = ql.cpuNs() - raw.cpuNs();
                double dcErr = Math.hypot(ql.cpuNsError(), raw.cpuNsError());
                verdicts.add(String.format(Locale.ROOT, "- `%s`: Querylens adds %s ± %s ns of CPU per statement (target ≤ %s): **%s**",
                        method, ResultsFile.num(dc), ResultsFile.num(dcErr), ResultsFile.num(TARGET_NS),
                        verdict(dc, dcErr, TARGET_NS)));
            }
            if (!Double.isNaN(ql.bytes())) {
                double db = ql.bytes() - raw.bytes();
                double dbErr = Math.hypot(ql.bytesError(), raw.bytesError());
                verdicts.add(String.format(Locale.ROOT, "- `%s`: Querylens adds %s ± %s bytes per statement (target ≤ %s): **%s**",
                        method, ResultsFile.num(db), ResultsFile.num(dbErr), ResultsFile.num(TARGET_BYTES),
                        verdict(db, dbErr, TARGET_BYTES)));
            }
            if (p6 != null) {
                double pdt = p6.ns() - raw.ns();
                verdicts.add(String.format(Locale.ROOT,
                        "- `%s`: cheaper than p6spy? time %s vs %s ns over raw: **%s**; CPU %s vs %s ns over raw: **%s**; "
                                + "allocation %s vs %s B over raw: **%s**",
                        method, ResultsFile.num(dt), ResultsFile.num(pdt),
                        cheaper(ql.ns(), ql.nsError(), p6.ns(), p6.nsError()),
                        ResultsFile.num(ql.cpuNs() - raw.cpuNs()), ResultsFile.num(p6.cpuNs() - raw.cpuNs()),
                        cheaper(ql.cpuNs(), ql.cpuNsError(), p6.cpuNs(), p6.cpuNsError()),
                        ResultsFile.num(ql.bytes() - raw.bytes()), ResultsFile.num(p6.bytes() - raw.bytes()),
                        cheaper(ql.bytes(), ql.bytesError(), p6.bytes(), p6.bytesError())));
            }
        }
        out.append("\nTargets:\n\n");
        verdicts.forEach(v -> out.append(v).append('\n'));
        out.append('\n');
    }

    private static void units(StringBuilder out, List<Row> rows) {
        List<Row> mine = rows.stream().filter(r -> r.benchmark().equals("UnitOfWorkBenchmark")).toList();
        if (mine.isEmpty()) {
            return;
        }
        out.append("`request`: begin, 4 statements (3 SELECTs, 1 INSERT), end. `nPlusOneRequest`: begin, a list query "
                + "and 10 PK SELECTs (an N+1 finding every unit), end. Baseline: `raw`, the same statements without "
                + "Querylens.\n\n");
        table(out, mine, "variant");
        out.append('\n');
    }

    private static void fingerprints(StringBuilder out, List<Row> rows) {
        List<Row> mine = rows.stream().filter(r -> r.benchmark().equals("FingerprintBenchmark")).toList();
        if (mine.isEmpty()) {
            return;
        }
        out.append("`cacheHit`: one of 16 cached statements; baseline a `ConcurrentHashMap.get` of the same strings. "
                + "`cacheMiss`: one of 4,096 statements of one shape with different inlined literals, cycled through "
                + "the 2,048-entry cache so every call reads the text; baseline one pass over the characters. "
                + "`short` ≈ 80 characters, `long` ≈ 1,900.\n\n");
        out.append("| length | case | time (ns/op) | baseline (ns/op) | over baseline (ns) | × baseline | CPU (ns/op) | "
                + "baseline CPU (ns/op) | alloc (B/op) | baseline alloc (B/op) |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String length : List.of("short", "long")) {
            for (String method : List.of("cacheHit", "cacheMiss")) {
                Row r = find(mine, method, "length", length);
                Row b = find(mine, method + "Baseline", "length", length);
                if (r == null) {
                    continue;
                }
                out.append("| ").append(length).append(" | ").append(method).append(" | ")
                        .append(pm(r.ns(), r.nsError())).append(" | ")
                        .append(b == null ? "" : pm(b.ns(), b.nsError())).append(" | ")
                        .append(b == null ? "" : pm(r.ns() - b.ns(), Math.hypot(r.nsError(), b.nsError()))).append(" | ")
                        .append(b == null ? "" : ratio(r.ns(), b.ns())).append(" | ")
                        .append(pm(r.cpuNs(), r.cpuNsError())).append(" | ")
                        .append(b == null ? "" : pm(b.cpuNs(), b.cpuNsError())).append(" | ")
                        .append(pm(r.bytes(), r.bytesError())).append(" | ")
                        .append(b == null ? "" : pm(b.bytes(), b.bytesError())).append(" |\n");
            }
        }
        out.append('\n');
    }

    /** Rows of one benchmark class, each beside the row of the same method whose {@code key} param is "raw". */
    private static void table(StringBuilder out, List<Row> rows, String key) {
        out.append("| benchmark | ").append(key).append(" | time (ns/op) | over raw (ns) | × raw | CPU (ns/op) | "
                + "CPU over raw (ns) | alloc (B/op) | over raw (B/op) |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            Row raw = find(rows, r.method(), key, "raw");
            boolean base = raw == r;
            out.append("| ").append(r.method()).append(" | ").append(r.param(key)).append(" | ")
                    .append(pm(r.ns(), r.nsError())).append(" | ")
                    .append(base || raw == null ? "baseline" : pm(r.ns() - raw.ns(), Math.hypot(r.nsError(), raw.nsError())))
                    .append(" | ").append(base || raw == null ? "1" : ratio(r.ns(), raw.ns())).append(" | ")
                    .append(pm(r.cpuNs(), r.cpuNsError())).append(" | ")
                    .append(base || raw == null ? "baseline"
                            : pm(r.cpuNs() - raw.cpuNs(), Math.hypot(r.cpuNsError(), raw.cpuNsError()))).append(" | ")
                    .append(pm(r.bytes(), r.bytesError())).append(" | ")
                    .append(base || raw == null ? "baseline" : pm(r.bytes() - raw.bytes(), Math.hypot(r.bytesError(), raw.bytesError())))
                    .append(" |\n");
        }
    }

    static Row find(List<Row> rows, String method, String key, String value) {
        for (Row r : rows) {
            if (r.method().equals(method) && value.equals(r.param(key))) {
                return r;
            }
        }
        return null;
    }

    /** A figure and its error; the error is left out where JMH has none (fewer than 2 iterations). */
    static String pm(double v, double e) {
        return Double.isNaN(v) ? "n/a" : Double.isNaN(e) ? ResultsFile.num(v) : ResultsFile.num(v) + " ± " + ResultsFile.num(e);
    }

    static String ratio(double v, double base) {
        return String.format(Locale.ROOT, "%.2f", v / base);
    }

    /** Met when even the upper end of the interval is within the target; missed when even the lower end is over. */
    static String verdict(double v, double err, double target) {
        err = Double.isNaN(err) ? 0 : err;
        if (v + err <= target) {
            return "met";
        }
        if (v - err > target) {
            return "MISSED";
        }
        return v <= target ? "met on the mean, within the error" : "MISSED on the mean, within the error";
    }

    static String cheaper(double ql, double qlErr, double p6, double p6Err) {
        double err = Double.isNaN(qlErr) || Double.isNaN(p6Err) ? 0 : Math.hypot(qlErr, p6Err);
        if (ql + err < p6) {
            return "yes";
        }
        if (ql - err > p6) {
            return "NO";
        }
        return ql < p6 ? "yes on the mean, within the error" : "NO on the mean, within the error";
    }
}
