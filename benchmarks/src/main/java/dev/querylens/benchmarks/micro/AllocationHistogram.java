package dev.querylens.benchmarks.micro;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Exactly what one statement allocates, class by class: runs {@link StatementBenchmark} in a JVM whose collector
 * never collects (Epsilon), warms it up so that the JIT has compiled it (escape analysis included), then takes a
 * class histogram of every object in the heap, unreachable ones included ({@code GC.class_histogram -all}), before
 * and after a fixed number of operations, and prints the difference per operation. A histogram with no operation
 * in between measures what taking the histogram itself allocates; it is subtracted.
 *
 * <p>Started by {@code AllocationBreakdown} with {@code -XX:+UseEpsilonGC}; prints {@code class bytes instances}
 * lines, per operation.
 */
public final class AllocationHistogram {

    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    private AllocationHistogram() {
    }

    public static void main(String[] args) throws Throwable {
        String variant = args[0];
        String method = args[1];
        int warmup = Integer.parseInt(args[2]);
        int ops = Integer.parseInt(args[3]);
        StatementBenchmark b = new StatementBenchmark();
        b.variant = variant;
        b.open();
        b.beginUnit();
        long sink = 0;
        for (int i = 0; i < warmup; i++) {
            sink += "select".equals(method) ? b.select() : b.insert();
        }
        Map<String, long[]> h0 = histogram();
        Map<String, long[]> h1 = histogram();
        for (int i = 0; i < ops; i++) {
            sink += "select".equals(method) ? b.select() : b.insert();
        }
        Map<String, long[]> h2 = histogram();
        b.endUnit();
        b.close();
        Map<String, long[]> noise = diff(h0, h1);
        Map<String, long[]> work = diff(h1, h2);
        for (Map.Entry<String, long[]> e : work.entrySet()) {
            long[] n = noise.getOrDefault(e.getKey(), new long[2]);
            double bytes = (double) (e.getValue()[1] - n[1]) / ops;
            double count = (double) (e.getValue()[0] - n[0]) / ops;
            if (Math.abs(bytes) >= 0.5) {
                System.out.printf(java.util.Locale.ROOT, "HISTO %s %.2f %.3f%n", e.getKey(), bytes, count);
            }
        }
        System.out.println("SINK " + (sink & 1));
    }

    private static Map<String, long[]> diff(Map<String, long[]> a, Map<String, long[]> b) {
        Map<String, long[]> d = new HashMap<>();
        for (Map.Entry<String, long[]> e : b.entrySet()) {
            long[] before = a.getOrDefault(e.getKey(), new long[2]);
            d.put(e.getKey(), new long[]{e.getValue()[0] - before[0], e.getValue()[1] - before[1]});
        }
        return d;
    }

    /** instances and bytes per class, every object in the heap (the Epsilon heap keeps them all). */
    private static Map<String, long[]> histogram() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String text = (String) server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram", new Object[]{new String[]{"-all"}}, new String[]{String[].class.getName()});
        Map<String, long[]> h = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                h.put(m.group(3), new long[]{Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
            }
        }
        return h;
    }
}
