package dev.querylens.benchmarks.micro;

import java.lang.management.ManagementFactory;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build's allocation checks: bytes Querylens allocates per operation over the raw variant of the same
 * benchmark, never time. Both variants run alternately in this JVM, counted by the thread's allocated-bytes counter
 * ({@code ThreadMXBean}), which does not depend on how busy the machine is. Until the JIT has compiled the path
 * (escape analysis included) a run allocates more; so rounds repeat (at least three, at most {@link #MAX_ROUNDS},
 * until one is within the budget), and the smallest difference of a round counts.
 */
final class AllocationBudget {

    static final int MAX_ROUNDS = 15;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** One operation of a benchmark; returns what it computed, so that nothing is optimised away. */
    interface Operation {
        long run() throws Exception;
    }

    /** Work between rounds, as between JMH iterations (emptying the insert table, say). */
    interface BetweenRounds {
        void run() throws Exception;
    }

    private AllocationBudget() {
    }

    /**
     * Fails when Querylens adds more than {@code budget} bytes per {@code what} over raw.
     *
     * @return the smallest difference of a round, in bytes per operation
     */
    static double assertWithin(String what, double budget, Operation raw, Operation querylens, int warmup, int ops,
                               BetweenRounds betweenRounds) throws Exception {
        run(raw, warmup);
        run(querylens, warmup);
        double best = Double.MAX_VALUE;
        StringBuilder rounds = new StringBuilder();
        for (int round = 0; round < MAX_ROUNDS && (round < 3 || best > budget); round++) {
            double over = bytesPerOp(querylens, ops) - bytesPerOp(raw, ops);
            rounds.append(String.format(Locale.ROOT, " %.1f", over));
            best = Math.min(best, over);
            betweenRounds.run();
        }
        System.out.printf(Locale.ROOT, "%s: Querylens adds %.1f bytes over raw (rounds:%s)%n", what, best, rounds);
        assertTrue(best <= budget, "Querylens adds " + best + " bytes per " + what + " over raw (budget " + budget
                + "); rounds:" + rounds);
        return best;
    }

    private static double bytesPerOp(Operation op, int ops) throws Exception {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        long sink = run(op, ops);
        long after = THREADS.getCurrentThreadAllocatedBytes();
        if (sink == Long.MIN_VALUE) {
            throw new AssertionError();
        }
        return (double) (after - before) / ops;
    }

    private static long run(Operation op, int ops) throws Exception {
        long sink = 0;
        for (int i = 0; i < ops; i++) {
            sink += op.run();
        }
        return sink;
    }
}
