package dev.querylens.benchmarks.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts of the load harness that read other programs' output. */
class LoadHarnessTest {

    @Test
    void reclaimedHeapIsSummedOverThePausesAfterTheOffset(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("gc.log");
        String before = "[1.0s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 100M->10M(768M) 5.0ms\n";
        Files.writeString(log, before
                + "[2.0s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 300M->20M(768M) 5.0ms\n"
                + "[2.5s][info][gc] GC(2) Pause Young (Concurrent Start) (G1 Humongous Allocation) 2048K->1024K(768M) 1ms\n"
                + "[2.6s][info][gc] GC(2) Concurrent Mark Cycle\n"
                + "[3.0s][info][gc] GC(3) Pause Remark 30M->30M(768M) 1.0ms\n");
        long reclaimed = JvmProbe.reclaimedSince(log, before.length());
        assertEquals((280L << 20) + (1024L << 10), reclaimed);
    }

    @Test
    void artifactIdsAreReadFromJarNames() {
        assertEquals("datasource-proxy", LoadSuite.artifactId("datasource-proxy-1.11.0.jar"));
        assertEquals("querylens-core", LoadSuite.artifactId("querylens-core-0.1.0-SNAPSHOT.jar"));
        assertEquals("hibernate-core", LoadSuite.artifactId("hibernate-core-7.2.19.Final.jar"));
        assertEquals("jackson-core", LoadSuite.artifactId("jackson-core-2.18.2.jar"));
    }

    @Test
    void theWrkScriptCyclesThePathsAndStopsAfterTheBound() {
        String lua = Wrk.script(List.of("/a", "/b?x=\"1\""), 500);
        assertTrue(lua.contains("\"/a\","), lua);
        assertTrue(lua.contains("\"/b?x=\\\"1\\\"\","), lua);
        assertTrue(lua.contains("local max = 500"), lua);
        assertTrue(lua.contains("wrk.thread:stop()"), lua);
        assertTrue(lua.contains("QLBENCH"), lua);
    }

    @Test
    void thePacedScriptMakesEachConnectionThinkBeforeEachRequest() {
        assertFalse(Wrk.script(List.of("/a"), 500).contains("delay"));
        String lua = Wrk.script(List.of("/a"), 500, 40);
        assertTrue(lua.contains("delay = function()\n  return 40\nend"), lua);
    }

    @Test
    void everyRequestGoesToTheDemoShopsEndpoints() {
        List<String> paths = LoadSuite.paths();
        assertEquals(600, paths.size());
        assertTrue(paths.stream().allMatch(p -> p.startsWith("/orders/") || p.startsWith("/customers/")));
    }

    @Test
    void compilerThreadsAreToldByTheirLinuxNames() {
        assertTrue(JvmProbe.isCompiler("C2 CompilerThre"));
        assertTrue(JvmProbe.isCompiler("C1 CompilerThre"));
        assertFalse(JvmProbe.isCompiler("GC Thread#0"));
        assertFalse(JvmProbe.isCompiler("http-nio-8080-e"));
    }

    @Test
    void compilerCpuCountsNewThreadsFromZeroAndLeavesOutEndedOnes() {
        var before = java.util.Map.of("11", 100L, "12", 50L, "13", 70L);
        var after = java.util.Map.of("11", 160L, "12", 50L, "14", 30L);
        assertEquals(60 + 0 + 30, JvmProbe.compilerCpuBetween(before, after));
    }

    @Test
    void cpuIsReadAfterTheCommandNameEvenWithSpacesInIt() {
        // pid (comm) state ppid ... utime (14th field) stime (15th)
        String stat = "4242 (C2 CompilerThre) S 1 2 3 4 5 6 7 8 9 10 123 45 0 0 20 0 1 0 100 0 0";
        assertEquals((123 + 45) * 10, JvmProbe.ticksToMillis(stat));
    }

    @Test
    void compilerCpuOfThisJvmIsReadFromProc() throws Exception {
        var compilers = JvmProbe.compilerCpuMillis(ProcessHandle.current().pid());
        assertFalse(compilers.isEmpty(), "this JVM has JIT compiler threads");
        assertTrue(compilers.values().stream().allMatch(v -> v >= 0));
    }

    @Test
    void spreadIsMedianMinAndMax() {
        var runs = List.of(run(3), run(1), run(2), run(10));
        LoadReport.Spread s = LoadReport.Spread.of(runs, LoadSuite.Run::startupSeconds);
        assertEquals(2.5, s.median());
        assertEquals(1, s.min());
        assertEquals(10, s.max());
    }

    @Test
    void theWarmUpIsFixedUnlessALongerOneIsAllowedThenItWaitsForTheJitToSettle() {
        LoadSuite.Settings fixed = LoadSuite.parse(new String[] {"--warmup", "60"});
        assertEquals("60 s of load to warm up", LoadReport.warmupText(fixed));
        LoadSuite.Settings settling = LoadSuite.parse(
                new String[] {"--warmup", "60", "--max-warmup", "300", "--settled-jit", "2.5"});
        assertEquals("load to warm up for at least 60 s, then in slices of 10 s until the JIT compiler threads took "
                + "at most 2.50% of the process's CPU in a slice (at most 300 s in all)", LoadReport.warmupText(settling));
    }

    @Test
    void cpuPerRequestIsListedStartByStartInRoundOrder() {
        Map<String, LoadSuite.Config> configs = configs("none", "querylens-agent", "otel-agent");
        var runs = List.of(run("querylens-agent", 2, 375), run("none", 2, 290), run("querylens-agent", 1, 265),
                run("none", 1, 332));
        StringBuilder out = new StringBuilder();
        LoadReport.byStart(out, configs, runs);
        assertEquals("""
                CPU per request (ms), start by start in round order:

                - `none`: 3.32, 2.90
                - `querylens-agent`: 2.65, 3.75
                - `otel-agent`: no start

                """, out.toString());
    }

    @Test
    void theOpenTelemetryComparisonIsJudgedOnTheTargetFiguresOnly() {
        var none = List.of(run("none", 100, 300, 70e6, 16, 28));
        var otel = List.of(run("otel-agent", 100, 320, 80e6, 23, 30));
        // more requests per second, so more bytes per second, at less CPU and fewer bytes per request
        var agent = List.of(run("querylens-agent", 120, 324, 86.4e6, 16.5, 29));
        List<String> lines = LoadReport.againstOtel("querylens-agent", none, agent, otel);
        assertTrue(lines.get(0).startsWith("- `querylens-agent` overhead lower than the OpenTelemetry agent's on each "
                + "target figure (CPU per request, allocation per request, startup CPU, peak threads): **met**. Lower on: "
                + "allocation per request (+20 KB vs +100 KB); CPU per request (-0.30 ms vs +0.20 ms); startup CPU"),
                lines.get(0));
        assertFalse(lines.get(0).contains("Not lower"), lines.get(0));
        assertTrue(lines.get(1).split("Not lower on: ")[1].contains("allocation rate (+16.4 MB/s vs +10 MB/s)"),
                lines.get(1));
        assertFalse(lines.get(1).contains("paced"), "no paced window was run: " + lines.get(1));

        var asManyThreads = List.of(run("querylens-agent", 120, 324, 86.4e6, 16.5, 30));
        String tie = LoadReport.againstOtel("querylens-agent", none, asManyThreads, otel).get(0);
        assertTrue(tie.contains("**MISSED**") && tie.endsWith("Not lower on: peak threads (+2 vs +2, ranges overlap)"),
                tie);
    }

    @Test
    void theJitShareOfAWindowIsItsCompilerCpuOverTheProcesss() {
        var w = new LoadSuite.Window(new Wrk.Result(100, 1, 0, 0, 1, 2, 3, 1), 2000, 500);
        assertEquals(25.0, w.jitPercent(), 1e-9);
        assertEquals(0.0, new LoadSuite.Window(w.load(), 0, 0).jitPercent());
    }

    @Test
    void theStartupSuiteTurnsAwayAnUnknownConfigurationNamingTheAcceptedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StartupSuite.parse(new String[] {"--configs", "none,starter"}));
        assertTrue(e.getMessage().contains("starter") && e.getMessage().contains("querylens-agent"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StartupSuite.parse(new String[] {"--rounds", "0"}));
    }

    @Test
    void bothHarnessesRefuseAKeyWithoutAValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadSuite.options(new String[] {"--rounds", "3", "--warmup"}));
        assertTrue(e.getMessage().contains("--warmup without a value"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StartupSuite.parse(new String[] {"rounds", "3"}));
        assertEquals("3", LoadSuite.options(new String[] {"--rounds", "3"}).get("rounds"));
    }

    @Test
    void theStartupReportGivesWhatEachAgentAddsToTheMedianStartPerJdk() {
        StartupSuite.Settings s = StartupSuite.parse(new String[] {"--rounds", "3"});
        List<StartupSuite.Start> starts = List.of(
                new StartupSuite.Start("17", "none", 1, 0.05, 0.01), new StartupSuite.Start("17", "none", 2, 0.07, 0.01),
                new StartupSuite.Start("17", "none", 3, 0.06, 0.01),
                new StartupSuite.Start("17", "querylens-agent", 1, 1.10, 0.50),
                new StartupSuite.Start("17", "querylens-agent", 2, 0.90, 0.40),
                new StartupSuite.Start("17", "querylens-agent", 3, 1.00, 0.45));
        String report = StartupSuite.render(s, List.of("none", "querylens-agent"), starts, "abc", "1", "1", 2);
        assertTrue(report.contains("| `querylens-agent` | 1 (0.90–1.10) | 0.55 (0.50–0.60) | +0.94 | +0.50 |"),
                report);
        assertTrue(report.contains("### 17"), report);
    }

    @Test
    void startsStoppedAtReadinessCountInTheStartupFiguresOnly() {
        Map<String, LoadSuite.Config> configs = configs("none", "querylens-agent");
        LoadSuite.Settings s = LoadSuite.parse(new String[] {"--rounds", "1", "--startup-rounds", "2"});
        var runs = List.of(run("none", 1, 100, 300, 0, 10, 26), run("querylens-agent", 1, 100, 300, 0, 14, 27),
                LoadSuite.Run.startupOnly("h2", "none", 2, 9, 11, 5),
                LoadSuite.Run.startupOnly("h2", "none", 3, 9, 12, 5),
                LoadSuite.Run.startupOnly("h2", "querylens-agent", 2, 9, 12.5, 5),
                LoadSuite.Run.startupOnly("h2", "querylens-agent", 3, 9, 12.9, 5));
        String report = LoadReport.render(s, configs, List.of(), runs, List.of("/a"), "abc", "1", "1", 5);
        // startup CPU: none 10, 11, 12 -> 11; the agent 12.5, 12.9, 14 -> 12.9: +17.3%, over the bound
        assertTrue(report.contains("`querylens-agent` startup CPU +17.3% vs `none` (target ≤ +10% vs `none`): "
                + "**MISSED**"), report);
        // CPU per request from the loaded starts only: 3 ms each
        assertTrue(report.contains("`querylens-agent` CPU per request +0.0% vs `none`"), report);
        assertTrue(report.contains("peak threads +1.0 vs `none`"), report);
        assertTrue(report.contains("- `none`: 3\n"), "one loaded start listed: " + report);
        assertTrue(report.contains("- Startup rounds: 2 more per database, after the rounds above"), report);
        assertTrue(report.startsWith("## End to end"), report);
        assertEquals("load", LoadReport.section(s));
    }

    @Test
    void aRunOfStartsOnlyReportsTheStartupFiguresAloneInASectionOfItsOwn() {
        Map<String, LoadSuite.Config> configs = configs("none", "querylens-agent", "otel-agent");
        LoadSuite.Settings s = LoadSuite.parse(new String[] {"--rounds", "0", "--startup-rounds", "1"});
        var runs = List.of(LoadSuite.Run.startupOnly("h2", "none", 1, 9, 10, 5),
                LoadSuite.Run.startupOnly("h2", "querylens-agent", 1, 9, 10.5, 5),
                LoadSuite.Run.startupOnly("h2", "otel-agent", 1, 12, 15, 7));
        String report = LoadReport.render(s, configs, List.of(), runs, List.of("/a"), "abc", "1", "1", 5);
        assertTrue(report.startsWith("## Startup: the demo shop"), report);
        assertEquals("load-startup", LoadReport.section(s));
        assertTrue(report.contains("| configuration | startup (s) | startup CPU (s) | startup CPU outside JIT (s) |"),
                report);
        assertFalse(report.contains("CPU per request") || report.contains("peak threads") || report.contains("NaN")
                || report.contains("Warm-up"), report);
        assertTrue(report.contains("`querylens-agent` startup CPU +5.0% vs `none` (target ≤ +10% vs `none`): **met**"),
                report);
        assertTrue(report.contains("overhead lower than the OpenTelemetry agent's on each target figure measured "
                + "(startup CPU): **met**"), report);
    }

    @Test
    void theLoadHarnessNeedsSomethingToMeasure() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> LoadSuite.parse(new String[] {"--rounds", "0"}));
        assertTrue(none.getMessage().contains("--startup-rounds"), none.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> LoadSuite.parse(new String[] {"--startup-rounds", "-1"}));
        assertTrue(negative.getMessage().contains("--startup-rounds must be 0 or more"), negative.getMessage());
    }

    private static Map<String, LoadSuite.Config> configs(String... names) {
        Map<String, LoadSuite.Config> configs = new LinkedHashMap<>();
        for (String c : names) {
            configs.put(c, new LoadSuite.Config(c, List.of(), List.of(), "", ""));
        }
        return configs;
    }

    /** A start whose measured window of 1 s served {@code requests} in {@code cpuMillis} of CPU. */
    private static LoadSuite.Run run(String config, int round, long requests, double cpuMillis, double allocBytes,
                                     double startupCpu, long threads) {
        return new LoadSuite.Run("h2", config, round, 9, startupCpu, 8, new LoadSuite.Warmup(60, true),
                new LoadSuite.Window(new Wrk.Result(requests, 1, 0, 0, 1, 2, 3, 1), cpuMillis, 0), allocBytes, null,
                threads);
    }

    private static LoadSuite.Run run(String config, long requests, double cpuMillis, double allocBytes,
                                     double startupCpu, long threads) {
        return run(config, 1, requests, cpuMillis, allocBytes, startupCpu, threads);
    }

    /** A start whose measured window served 100 requests in {@code cpuMillis} of CPU. */
    private static LoadSuite.Run run(String config, int round, double cpuMillis) {
        return run(config, round, 100, cpuMillis, 0, 17, 20);
    }

    private static LoadSuite.Run run(double startup) {
        return new LoadSuite.Run("h2", "none", 1, startup, startup / 2, startup / 4,
                new LoadSuite.Warmup(60, true),
                new LoadSuite.Window(new Wrk.Result(100, 1, 0, 0, 1, 2, 3, 1), 0, 0), 0, null, 20);
    }
}
