package dev.querylens.agent.hooks;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The table that keeps a fork/join task's unit until it runs: handed out once, by the task's identity, forgotten
 * when the task is forked again outside any unit, bounded, and never keeping a task that will not run.
 */
class ForkJoinUnitsTest {

    /** A task that says it equals every other, as an application's could. */
    static final class Task {
        @Override
        public boolean equals(Object o) {
            return o instanceof Task;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    @AfterEach
    void empty() throws InterruptedException {
        awaitPending(0);
    }

    /** Forgets the entries of collected tasks (at a fork, as in use) until {@code pending} are left. */
    private static void awaitPending(int pending) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ForkJoinUnits.pending() > pending) {
            assertTrue(System.nanoTime() < deadline, "entries left: " + ForkJoinUnits.pending());
            System.gc();
            Thread.sleep(10);
            Object probe = new Object();
            ForkJoinUnits.forked(probe, "probe");
            ForkJoinUnits.take(probe);
        }
    }

    @Test
    void aTaskRunsOnceInTheUnitItWasForkedIn() {
        Task a = new Task();
        Task b = new Task();
        ForkJoinUnits.forked(a, "unit A");
        ForkJoinUnits.forked(b, "unit B");
        assertEquals(2, ForkJoinUnits.pending());
        // by identity: tasks that are equal() are not confused
        assertSame("unit B", ForkJoinUnits.take(b));
        assertSame("unit A", ForkJoinUnits.take(a));
        assertNull(ForkJoinUnits.take(a), "handed out once");
        assertNull(ForkJoinUnits.take(new Task()), "never forked in a unit");
        assertEquals(0, ForkJoinUnits.pending());
    }

    @Test
    void aTaskForkedAgainOutsideAnyUnitCarriesNothing() {
        Task a = new Task();
        ForkJoinUnits.forked(a, "unit A");
        ForkJoinUnits.forked(a, null);
        assertNull(ForkJoinUnits.take(a));
        assertEquals(0, ForkJoinUnits.pending());
    }

    @Test
    void atMostMaxPendingTasksWait() {
        List<Object> tasks = new ArrayList<>(ForkJoinUnits.MAX_PENDING + 1);
        for (int i = 0; i <= ForkJoinUnits.MAX_PENDING; i++) {
            Object task = new Object();
            tasks.add(task);
            ForkJoinUnits.forked(task, "unit");
        }
        assertEquals(ForkJoinUnits.MAX_PENDING, ForkJoinUnits.pending());
        assertNull(ForkJoinUnits.take(tasks.get(ForkJoinUnits.MAX_PENDING)), "past the bound: carries nothing");
        for (Object task : tasks.subList(0, ForkJoinUnits.MAX_PENDING)) {
            assertSame("unit", ForkJoinUnits.take(task));
        }
        assertEquals(0, ForkJoinUnits.pending());
    }

    @Test
    void aTaskThatNeverRunsIsNotKept() throws InterruptedException {
        for (int i = 0; i < 1_000; i++) {
            ForkJoinUnits.forked(new Object(), "unit");
        }
        assertEquals(1_000, ForkJoinUnits.pending());
        // the tasks are unreachable: their entries go at later forks
        awaitPending(0);
    }
}
