package dev.querylens.benchmarks.report;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the bytes of one statement go: runs {@code StatementBenchmark.<method>} for each variant in one fork under
 * JMH's JFR profiler with {@code jdk.ObjectAllocationSample} at a high rate, attributes every sample's weight to
 * the code that allocated (the first frame outside {@code java.*}/{@code jdk.internal.*}/{@code sun.*}; JDK dynamic
 * proxy classes count as "JDK Proxy"), and scales the shares to JMH's own bytes per operation.
 */
public final class AllocationProfile {

    private static final String JFC = """
            <?xml version="1.0" encoding="UTF-8"?>
            <configuration version="2.0" label="allocation" description="Querylens allocation breakdown">
              <event name="jdk.ObjectAllocationSample">
                <setting name="enabled">true</setting>
                <setting name="throttle">20000/s</setting>
                <setting name="stackTrace">true</setting>
              </event>
            </configuration>
            """;

    private AllocationProfile() {
    }

    /** Bytes per operation by allocation site and by class, for one variant. */
    record Profile(String variant, double bytesPerOp, long samples, Map<String, Double> bySite,
                   Map<String, Double> byClass) {
    }

    public static List<Profile> run(String method, List<String> variants, Path dir) throws Exception {
        Files.createDirectories(dir);
        Path jfc = dir.resolve("allocation.jfc");
        Files.writeString(jfc, JFC);
        List<Profile> profiles = new ArrayList<>();
        for (String variant : variants) {
            Path out = dir.resolve(method + "-" + variant);
            deleteTree(out);
            Files.createDirectories(out);
            var options = new OptionsBuilder()
                    .include("dev.querylens.benchmarks.micro.StatementBenchmark." + method + "$")
                    .param("variant", variant)
                    .forks(1)
                    // Samples are taken on TLAB refills: small fixed TLABs give enough of them for a breakdown.
                    .jvmArgsAppend("-XX:-ResizeTLAB", "-XX:TLABSize=2k")
                    .addProfiler("gc")
                    .addProfiler("jfr", "dir=" + out.toAbsolutePath() + ";configName=" + jfc.toAbsolutePath())
                    .build();
            RunResult result = new Runner(options).runSingle();
            double bytesPerOp = result.getSecondaryResults().get(MicroSuite.ALLOC).getScore();
            Path recording;
            try (Stream<Path> files = Files.walk(out)) {
                recording = files.filter(p -> p.toString().endsWith(".jfr")).findFirst()
                        .orElseThrow(() -> new IOException("no JFR recording under " + out));
            }
            profiles.add(analyse(variant, recording, bytesPerOp));
        }
        return profiles;
    }

    static Profile analyse(String variant, Path recording, double bytesPerOp) throws IOException {
        Map<String, Long> bySite = new HashMap<>();
        Map<String, Long> byClass = new HashMap<>();
        long total = 0;
        long samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (!e.getEventType().getName().equals("jdk.ObjectAllocationSample")) {
                continue;
            }
            String thread = e.getThread("eventThread") == null ? "" : e.getThread("eventThread").getJavaName();
            if (thread == null || !thread.contains("jmh-worker")) {
                continue;
            }
            long weight = e.getLong("weight");
            total += weight;
            samples++;
            bySite.merge(site(e.getStackTrace()), weight, Long::sum);
            byClass.merge(e.getClass("objectClass").getName(), weight, Long::sum);
        }
        return new Profile(variant, bytesPerOp, samples, scale(bySite, total, bytesPerOp),
                scale(byClass, total, bytesPerOp));
    }

    private static Map<String, Double> scale(Map<String, Long> weights, long total, double bytesPerOp) {
        Map<String, Double> scaled = new LinkedHashMap<>();
        weights.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(en -> scaled.put(en.getKey(), total == 0 ? 0 : en.getValue() * bytesPerOp / total));
        return scaled;
    }

    /** The allocating code: the first frame that is not the JDK's own plumbing. */
    static String site(RecordedStackTrace stack) {
        if (stack == null) {
            return "(no stack)";
        }
        for (RecordedFrame f : stack.getFrames()) {
            if (!f.isJavaFrame()) {
                continue;
            }
            String cls = f.getMethod().getType().getName();
            if (cls.startsWith("jdk.proxy") || cls.startsWith("com.sun.proxy")) {
                return "JDK Proxy (" + f.getMethod().getName() + ")";
            }
            if (cls.startsWith("java.") || cls.startsWith("jdk.") || cls.startsWith("sun.")) {
                continue;
            }
            return shortClass(cls) + "." + f.getMethod().getName();
        }
        return "(JDK only)";
    }

    private static String shortClass(String cls) {
        return cls.replace("net.ttddyy.dsproxy.", "dsproxy.").replace("dev.querylens.", "")
                .replace("com.zaxxer.hikari.", "hikari.").replace("com.p6spy.engine.", "p6spy.");
    }

    /** A markdown table: the top sites of the last variant, with every variant's bytes per op at each site. */
    static String table(List<Profile> profiles, Map<String, Double> keyed, int top, boolean sites) {
        Profile last = profiles.get(profiles.size() - 1);
        StringBuilder sb = new StringBuilder("| " + (sites ? "allocated in" : "class") + " |");
        profiles.forEach(p -> sb.append(' ').append(p.variant()).append(" (B/op) |"));
        sb.append("\n|---|");
        profiles.forEach(p -> sb.append("---:|"));
        sb.append('\n');
        int n = 0;
        double shown = 0;
        for (String key : keyed.keySet()) {
            if (n++ == top) {
                break;
            }
            sb.append("| `").append(key).append("` |");
            for (Profile p : profiles) {
                Double v = (sites ? p.bySite() : p.byClass()).get(key);
                sb.append(' ').append(v == null ? "0" : ResultsFile.num(v)).append(" |");
            }
            shown += keyed.get(key);
            sb.append('\n');
        }
        sb.append("| total (JMH `gc.alloc.rate.norm`) |");
        profiles.forEach(p -> sb.append(' ').append(ResultsFile.num(p.bytesPerOp())).append(" |"));
        sb.append('\n');
        return sb.toString();
    }

    static String report(String method, List<Profile> profiles) {
        Profile last = profiles.get(profiles.size() - 1);
        StringBuilder sb = new StringBuilder();
        sb.append("#### Allocation breakdown of `StatementBenchmark.").append(method).append("` (JFR)\n\n");
        sb.append("One fork per variant (10 × 1 s warmup, 5 × 1 s measured) under JMH's `-prof jfr` with "
                + "`jdk.ObjectAllocationSample` throttled at 20,000/s and fixed 2 KB TLABs (samples are taken on TLAB "
                + "refills); each sample's weight goes to the first frame "
                + "outside the JDK (calls through a JDK dynamic proxy class count as `JDK Proxy`), scaled to the "
                + "JMH bytes per operation. Samples: ");
        profiles.forEach(p -> sb.append(p.variant()).append(' ').append(p.samples()).append(", "));
        sb.setLength(sb.length() - 2);
        sb.append(".\n\nBy allocating code (top 15 for ").append(last.variant()).append("):\n\n");
        sb.append(table(profiles, last.bySite(), 15, true));
        sb.append("\nBy class (top 12 for ").append(last.variant()).append("):\n\n");
        sb.append(table(profiles, last.byClass(), 12, false));
        return sb.toString();
    }

    /** Standalone: {@code AllocationProfile [method] [variant...]} prints the breakdown. */
    public static void main(String[] args) throws Exception {
        String method = args.length > 0 ? args[0] : "select";
        List<String> variants = args.length > 1 ? List.of(args).subList(1, args.length)
                : List.of("raw", "datasource-proxy", "querylens");
        System.out.println(report(method, run(method, variants, Path.of("benchmarks/target/alloc-profile"))));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
