package dev.querylens.core.testing;

import dev.querylens.core.watchdog.DeadlineAlarm;
import dev.querylens.core.watchdog.DeadlineWatchdog;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link DeadlineWatchdog} on a timer thread of its own ({@code test-watchdog}), for core's tests: the agent's is
 * its metrics endpoint's selector loop. Counts the alarms it was given and those it fired.
 */
public final class TimerWatchdog implements DeadlineWatchdog, AutoCloseable {
    public final AtomicInteger watched = new AtomicInteger();
    public final AtomicInteger fired = new AtomicInteger();
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "test-watchdog");
        t.setDaemon(true);
        return t;
    });

    @Override
    public boolean watch(DeadlineAlarm alarm) {
        watched.incrementAndGet();
        timer.schedule(() -> {
            if (alarm.fire()) {
                fired.incrementAndGet();
            }
        }, alarm.deadlineNanos() - System.nanoTime(), TimeUnit.NANOSECONDS);
        return true;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
