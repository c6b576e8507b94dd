package dev.querylens.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where the bytes of one statement go, class by class and exactly: runs {@code AllocationHistogram} for each
 * variant in its own JVM (Epsilon GC, so nothing is collected between the two heap histograms) and tabulates the
 * bytes and instances per operation.
 */
public final class AllocationBreakdown {

    static final int WARMUP = 200_000;
    static final int OPS = 100_000;

    private AllocationBreakdown() {
    }

    /** Bytes and instances per operation, by class name. */
    record Histogram(String variant, Map<String, double[]> byClass) {
        double total() {
            return byClass.values().stream().mapToDouble(v -> v[0]).sum();
        }

        double bytes(String cls) {
            double[] v = byClass.get(cls);
            return v == null ? 0 : v[0];
        }

        double count(String cls) {
            double[] v = byClass.get(cls);
            return v == null ? 0 : v[1];
        }
    }

    public static List<Histogram> run(String method, List<String> variants) throws IOException, InterruptedException {
        List<Histogram> out = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String variant : variants) {
            List<String> cmd = List.of(java, "-XX:+UnlockExperimentalVMOptions", "-XX:+UseEpsilonGC", "-Xms6g",
                    "-Xmx6g", "-XX:+AlwaysPreTouch", "-cp", System.getProperty("java.class.path"),
                    "dev.querylens.benchmarks.micro.AllocationHistogram", variant, method, Integer.toString(WARMUP),
                    Integer.toString(OPS));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("allocation histogram of " + variant + " failed: " + text);
            }
            Map<String, double[]> byClass = new HashMap<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("HISTO ")) {
                    String[] f = line.split(" ");
                    // generated classes get a different name in every JVM: one row per kind
                    String cls = f[1].replaceAll("/0x[0-9a-f]+", "").replaceAll("\\$Proxy\\d+", "\\$ProxyN")
                            .replaceAll("\\$\\$Lambda\\$\\d+", "\\$\\$Lambda");
                    byClass.merge(cls, new double[]{Double.parseDouble(f[2]), Double.parseDouble(f[3])},
                            (x, y) -> new double[]{x[0] + y[0], x[1] + y[1]});
                }
            }
            out.add(new Histogram(variant, byClass));
        }
        return out;
    }

    /** A markdown table: every class that adds at least 8 bytes per operation to any variant, raw first. */
    static String report(String method, List<Histogram> hs) {
        Histogram raw = hs.get(0);
        Map<String, Double> extra = new LinkedHashMap<>();
        for (Histogram h : hs) {
            for (String cls : h.byClass().keySet()) {
                double over = h.bytes(cls) - raw.bytes(cls);
                if (Math.abs(over) >= 8) {
                    extra.merge(cls, Math.abs(over), Math::max);
                }
            }
        }
        Histogram last = hs.get(hs.size() - 1);
        List<String> classes = new ArrayList<>(extra.keySet());
        classes.sort((a, b) -> Double.compare(last.bytes(b) - raw.bytes(b), last.bytes(a) - raw.bytes(a)));
        StringBuilder sb = new StringBuilder();
        sb.append("### Allocation breakdown of `StatementBenchmark.").append(method).append("` (heap histograms)\n\n");
        sb.append("Exact bytes and instances per operation, by class: each variant runs in its own JVM with the Epsilon "
                + "collector (nothing is freed), ").append(String.format(Locale.ROOT, "%,d", WARMUP))
                .append(" operations of warmup (compiled, escape analysis included), then `GC.class_histogram -all` "
                        + "before and after ").append(String.format(Locale.ROOT, "%,d", OPS))
                .append(" operations (what the histogram itself allocates is measured and subtracted). Rows: every class "
                        + "whose bytes per operation differ from `raw` by 8 or more in some variant; cells: bytes "
                        + "(instances) per operation.\n\n");
        sb.append("| class |");
        hs.forEach(h -> sb.append(' ').append(h.variant()).append(" |"));
        sb.append(' ').append(last.variant()).append(" − raw |\n|---|");
        hs.forEach(h -> sb.append("---:|"));
        sb.append("---:|\n");
        for (String cls : classes) {
            sb.append("| `").append(cls).append("` |");
            for (Histogram h : hs) {
                sb.append(' ').append(cell(h.bytes(cls), h.count(cls))).append(" |");
            }
            sb.append(' ').append(ResultsFile.num(last.bytes(cls) - raw.bytes(cls))).append(" |\n");
        }
        sb.append("| **all classes** |");
        hs.forEach(h -> sb.append(" **").append(ResultsFile.num(h.total())).append("** |"));
        sb.append(" **").append(ResultsFile.num(last.total() - raw.total())).append("** |\n");
        return sb.toString();
    }

    private static String cell(double bytes, double count) {
        if (Math.abs(bytes) < 0.5) {
            return "0";
        }
        return ResultsFile.num(bytes) + " (" + String.format(Locale.ROOT, "%.2f", count) + ")";
    }

    /** Standalone: {@code AllocationBreakdown [method] [variant...]} prints the table. */
    public static void main(String[] args) throws Exception {
        String method = args.length > 0 ? args[0] : "select";
        List<String> variants = args.length > 1 ? List.of(args).subList(1, args.length)
                : List.of("raw", "datasource-proxy", "p6spy", "querylens");
        System.out.println(report(method, run(method, variants)));
    }
}
