package dev.querylens.benchmarks.micro;

import org.junit.jupiter.api.Test;

/**
 * The build fails when a request that makes an N+1 finding ({@link UnitOfWorkBenchmark#nPlusOneRequest}: begin, a
 * list query, 10 PK SELECTs, end) costs Querylens more than {@link #BUDGET_BYTES} bytes over raw HikariCP + H2, on
 * every request after the first: its 11 statements within their own budget, the unit of work and its detection
 * state, the finding published to the meters and the findings store, and no stack walk, since the store already
 * holds the finding and its call site. A stack walk alone allocates about 4 KB, so this fails when the call site is
 * captured on every request again. Measured as {@link AllocationBudget} says.
 */
class UnitAllocationBudgetTest {

    /**
     * Bytes per N+1 request. Measured on JDK 17: about 2,450 bytes with the finding held; 4,710 when every request
     * walks the stack (this benchmark's stack is shallow: an application's is deeper and costs more).
     */
    static final double BUDGET_BYTES = 3072;
    private static final int WARMUP = 5_000;
    private static final int OPS = 3_000;

    @Test
    void aRequestThatMakesAnNPlusOneFindingAddsAtMostTheBudget() throws Exception {
        UnitOfWorkBenchmark raw = open(Variants.RAW);
        UnitOfWorkBenchmark querylens = open(Variants.QUERYLENS);
        try {
            AllocationBudget.assertWithin("N+1 request", BUDGET_BYTES, raw::nPlusOneRequest,
                    querylens::nPlusOneRequest, WARMUP, OPS, () -> {
                    });
        } finally {
            raw.close();
            querylens.close();
        }
    }

    private static UnitOfWorkBenchmark open(String variant) throws Exception {
        UnitOfWorkBenchmark b = new UnitOfWorkBenchmark();
        b.variant = variant;
        b.open();
        return b;
    }
}
