package dev.querylens.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * {@code benchmarks/RESULTS.md}: one section per suite, each between its own markers, so that each suite's command
 * replaces its own figures and keeps the other's.
 */
public final class ResultsFile {

    static final String HEADER = """
            # Querylens benchmark results

            Written by `benchmarks/run-micro.sh`, `benchmarks/run-load.sh` and `benchmarks/run-startup.sh` (see
            CONTRIBUTING.md, "Benchmarks"); each run replaces its own section. Numbers are from the machine and load
            given in each section: compare ratios and differences within one section, not absolute figures across
            machines.

            """;

    private ResultsFile() {
    }

    /** Replaces (or appends) the section named {@code name} with {@code body}. */
    public static void writeSection(Path file, String name, String body) throws IOException {
        String begin = "<!-- " + name + ":begin -->";
        String end = "<!-- " + name + ":end -->";
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : HEADER;
        String section = begin + "\n" + body.strip() + "\n" + end;
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b >= 0 && e > b) {
            text = text.substring(0, b) + section + text.substring(e + end.length());
        } else {
            text = text.stripTrailing() + "\n\n" + section + "\n";
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** Cores, CPU model, OS, JDK and the load average right now. */
    public static String machine() {
        return "- Machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpuModel() + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", "
                + readFirst("/proc/meminfo", "MemTotal:").replace("MemTotal:", "").strip() + " memory\n"
                + "- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")\n";
    }

    /** The commit measured, from git when the run starts in a work tree ("+ local changes" when it is dirty). */
    public static String revision() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String rev = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                return "unknown (not a git work tree)";
            }
            Process d = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no")
                    .redirectErrorStream(true).start();
            boolean dirty = !new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8).isBlank();
            d.waitFor();
            return rev + (dirty ? " + local changes" : "");
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    /** The three load averages from /proc/loadavg (1, 5 and 15 minutes). */
    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return parts[0] + ", " + parts[1] + ", " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    public static String now() {
        return ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT));
    }

    private static String cpuModel() {
        String line = readFirst("/proc/cpuinfo", "model name");
        int colon = line.indexOf(':');
        return colon < 0 ? "unknown CPU" : line.substring(colon + 1).strip();
    }

    private static String readFirst(String file, String prefix) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: leave it out
        }
        return "";
    }

    /** A number with a sensible number of digits for a table. */
    public static String num(double v) {
        double a = Math.abs(v);
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100 || (v == Math.rint(v) && a < 1e6)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
