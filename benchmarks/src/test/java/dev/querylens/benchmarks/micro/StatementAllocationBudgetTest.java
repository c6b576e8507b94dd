package dev.querylens.benchmarks.micro;

import dev.querylens.benchmarks.report.MicroSuite;
import org.junit.jupiter.api.Test;

/**
 * The build fails when Querylens's statement path allocates more than {@link #BUDGET_BYTES} bytes per statement
 * over raw HikariCP + H2: twice the per-statement target ({@link MicroSuite#TARGET_BYTES}), so that growth is caught
 * long before a benchmark run, while a byte count that varies by a few bytes with the JDK does not fail the build.
 * Measured as {@link AllocationBudget} says, over many executions of {@link StatementBenchmark}'s own SELECT and
 * INSERT.
 */
class StatementAllocationBudgetTest {

    static final double BUDGET_BYTES = 2 * MicroSuite.TARGET_BYTES;
    private static final int WARMUP = 30_000;
    private static final int OPS = 20_000;

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
        boolean select = method.equals("select");
        try {
            AllocationBudget.assertWithin(method, BUDGET_BYTES,
                    select ? raw::select : raw::insert, select ? querylens::select : querylens::insert, WARMUP, OPS,
                    () -> {
                        // the insert table is emptied between rounds, as between JMH iterations
                        raw.endUnit();
                        querylens.endUnit();
                        raw.beginUnit();
                        querylens.beginUnit();
                    });
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
}
