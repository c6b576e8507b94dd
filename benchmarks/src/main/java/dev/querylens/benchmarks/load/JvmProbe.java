package dev.querylens.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a running JVM from outside, without attaching to it (an attach would start a thread in it): its
 * performance counters through {@code jstat -snap} (the hsperfdata file), its CPU time from {@code /proc}, and the
 * heap reclaimed by each collection from its {@code -Xlog:gc} file.
 */
final class JvmProbe {

    private static final Pattern GC_SIZES = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\(\\d+[KMG]\\)");

    private final String jstat;

    JvmProbe(Path javaHome) {
        this.jstat = javaHome.resolve("bin").resolve("jstat").toString();
    }

    /** Every performance counter of {@code pid}, by name (raw values as printed). */
    Map<String, String> counters(long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jstat, "-J-Djstat.showUnsupported=true", "-snap", Long.toString(pid))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jstat -snap " + pid + " failed: " + out);
        }
        Map<String, String> counters = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                counters.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip().replace("\"", ""));
            }
        }
        return counters;
    }

    /** Bytes in use in the heap: the sum of every generation's spaces' {@code used} counters. */
    static long heapUsed(Map<String, String> counters) {
        long used = 0;
        for (Map.Entry<String, String> e : counters.entrySet()) {
            if (e.getKey().matches("sun\\.gc\\.generation\\.\\d+\\.space\\.\\d+\\.used")) {
                used += Long.parseLong(e.getValue());
            }
        }
        return used;
    }

    static long peakThreads(Map<String, String> counters) {
        return Long.parseLong(counters.getOrDefault("java.threads.livePeak", "-1"));
    }

    /** User plus system CPU time of {@code pid} so far, in milliseconds (clock ticks of 10 ms). */
    static long cpuMillis(long pid) throws IOException {
        return ticksToMillis(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /** User plus system time of a {@code /proc} stat line, in milliseconds (clock ticks of 10 ms). */
    static long ticksToMillis(String stat) {
        // fields after the command name, which is in parentheses and may hold spaces
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * 10;
    }

    /**
     * CPU time so far of each live JIT compiler thread of {@code pid}, in milliseconds, by thread id. The compilers'
     * share of a measured window is the steadiest part to set apart: how much the JIT still compiles after the warm-up
     * varies from start to start and is not work done per request.
     */
    static Map<String, Long> compilerCpuMillis(long pid) throws IOException {
        Map<String, Long> byThread = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    if (isCompiler(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')))) {
                        byThread.put(task.getFileName().toString(), ticksToMillis(stat));
                    }
                } catch (IOException ended) {
                    // the thread ended while the list was read
                }
            }
        }
        return byThread;
    }

    /** HotSpot's compiler threads, by their (15-character) Linux thread name: {@code C2 CompilerThre}, {@code C1 ...}. */
    static boolean isCompiler(String threadName) {
        return threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre");
    }

    /**
     * Compiler CPU between two readings: a compiler thread started in between counts from zero; one that ended in
     * between (HotSpot stops idle ones) is left out, so the figure can only be low, by what such a thread spent.
     */
    static long compilerCpuBetween(Map<String, Long> before, Map<String, Long> after) {
        long sum = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }

    /** Heap reclaimed by the collections logged after byte {@code from} of the GC log: before minus after. */
    static long reclaimedSince(Path gcLog, long from) throws IOException {
        byte[] all = Files.readAllBytes(gcLog);
        String text = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                StandardCharsets.UTF_8);
        long reclaimed = 0;
        for (String line : text.split("\n")) {
            if (!line.contains("Pause")) {
                continue;
            }
            Matcher m = GC_SIZES.matcher(line);
            if (m.find()) {
                reclaimed += bytes(m.group(1), m.group(2)) - bytes(m.group(3), m.group(4));
            }
        }
        return reclaimed;
    }

    static long size(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    private static long bytes(String n, String unit) {
        long v = Long.parseLong(n);
        return switch (unit) {
            case "K" -> v << 10;
            case "M" -> v << 20;
            default -> v << 30;
        };
    }

    static List<String> gcLogArgs(Path gcLog) {
        return List.of("-Xlog:gc:file=" + gcLog + ":uptime,level,tags");
    }
}
