package dev.querylens.core.testing;

import dev.querylens.core.watchdog.DeadlineAlarm;
import dev.querylens.core.watchdog.DeadlineWatchdog;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link DeadlineWatchdog} on a timer thread of its own ({@code test-watchdog}), for core's tests: the agent's is
 * its metrics endpoint's selector loop. Runs its tasks on that thread too. Counts the alarms it was given and those
 * it fired, and the tasks it ran.
 */
public final class TimerWatchdog implements DeadlineWatchdog, AutoCloseable {
    public final AtomicInteger watched = new AtomicInteger();
    public final AtomicInteger fired = new AtomicInteger();
    public final AtomicInteger tasksRun = new AtomicInteger();
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "test-watchdog");
        t.setDaemon(true);
        return t;
    });

    @Override
    public boolean watch(DeadlineAlarm alarm) {
        try {
            timer.schedule(() -> {
                if (alarm.fire()) {
                    fired.incrementAndGet();
                }
            }, alarm.deadlineNanos() - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return false; // closed: as the agent's once its loop has ended
        }
        watched.incrementAndGet();
        return true;
    }

    @Override
    public boolean runOnOwnThread(Runnable task) {
        try {
            timer.execute(() -> {
                tasksRun.incrementAndGet();
                task.run();
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public void close() {
        // as the agent's: tasks accepted are run once, alarms still armed fire now
        for (Runnable left : timer.shutdownNow()) {
            left.run();
        }
    }
}
