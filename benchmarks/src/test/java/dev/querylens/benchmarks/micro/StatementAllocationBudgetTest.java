package dev.querylens.benchmarks.micro;

import dev.querylens.benchmarks.report.MicroSuite;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build fails when Querylens's statement path allocates more than {@link #BUDGET_BYTES} bytes per statement
 * over raw HikariCP + H2: twice the per-statement target ({@link MicroSuite#TARGET_BYTES}), so that growth is caught
 * long before a benchmark run, while a byte count that varies by a few bytes with the JDK does not fail the build.
 *
 * <p>Bytes, not time: the thread's allocated-bytes counter ({@code ThreadMXBean}) over many executions of
 * {@link StatementBenchmark}'s own SELECT and INSERT, Querylens and raw alternately in this JVM. Allocation counts
 * do not depend on how busy the machine is. Until the JIT has compiled the path (escape analysis included), a run
 * allocates more; so rounds repeat, and the smallest difference of a round counts.
 */
class StatementAllocationBudgetTest {

    static final double BUDGET_BYTES = 2 * MicroSuite.TARGET_BYTES;
    private static final int WARMUP = 30_000;
    private static final int OPS = 20_000;
    private static final int MAX_ROUNDS = 15;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void aSelectAddsAtMostTheBudget() throws Exception {
        assertWithinBudget("select");
    }

    @Test
    void anInsertAddsAtMostTheBudget() throws Exception {
        assertWithinBudget("insert");
    }

    private static void assertWithinBudget(String method) throws Exception {
        StatementBenchmark raw = open(Variants.RAW);
        StatementBenchmark querylens = open(Variants.QUERYLENS);
        try {
            run(raw, method, WARMUP);
            run(querylens, method, WARMUP);
            double best = Double.MAX_VALUE;
            StringBuilder rounds = new StringBuilder();
            for (int round = 0; round < MAX_ROUNDS && (round < 3 || best > BUDGET_BYTES); round++) {
                double over = bytesPerOp(querylens, method) - bytesPerOp(raw, method);
                rounds.append(String.format(java.util.Locale.ROOT, " %.1f", over));
                best = Math.min(best, over);
                // the insert table is emptied between rounds, as between JMH iterations
                raw.endUnit();
                querylens.endUnit();
                raw.beginUnit();
                querylens.beginUnit();
            }
            System.out.printf(java.util.Locale.ROOT, "%s: Querylens adds %.1f bytes per statement over raw (rounds:%s)%n",
                    method, best, rounds);
            assertTrue(best <= BUDGET_BYTES, "Querylens adds " + best + " bytes per " + method + " over raw (budget "
                    + BUDGET_BYTES + "); rounds:" + rounds);
        } finally {
            close(raw);
            close(querylens);
        }
    }

    private static StatementBenchmark open(String variant) throws Exception {
        StatementBenchmark b = new StatementBenchmark();
        b.variant = variant;
        b.open();
        b.beginUnit();
        return b;
    }

    private static void close(StatementBenchmark b) throws Exception {
        b.endUnit();
        b.close();
    }

    private static double bytesPerOp(StatementBenchmark b, String method) throws Exception {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        long sink = run(b, method, OPS);
        long after = THREADS.getCurrentThreadAllocatedBytes();
        if (sink == Long.MIN_VALUE) {
            throw new AssertionError();
        }
        return (double) (after - before) / OPS;
    }

    private static long run(StatementBenchmark b, String method, int ops) throws Exception {
        long sink = 0;
        boolean select = method.equals("select");
        for (int i = 0; i < ops; i++) {
            sink += select ? b.select() : b.insert();
        }
        return sink;
    }
}
