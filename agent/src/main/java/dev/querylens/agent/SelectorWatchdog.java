package dev.querylens.agent;

import dev.querylens.core.watchdog.DeadlineAlarm;
import dev.querylens.core.watchdog.DeadlineWatchdog;

import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Deadline alarms fired by the metrics endpoint's selector loop ({@link MetricsServer}), so that the EXPLAIN
 * sampler's worker can borrow its connections itself, with no borrowing thread beside it. Arming adds the alarm to
 * a lock-free queue and wakes the selector; the loop waits no longer than the nearest deadline, fires the due
 * alarms (an interrupt each) and forgets settled ones. Alarms armed before the loop runs wait for its first pass.
 * Bound: one armed alarm per EXPLAIN worker (one per agent), plus those settled since the loop last woke, which
 * every arming does.
 *
 * <p>The loop also runs the sampler's tasks ({@link #runOnOwnThread}): those queued when a pass begins, after its
 * alarms. Bound: one pending task per sampler (one per agent), which hands itself over again while samples remain.
 */
final class SelectorWatchdog implements DeadlineWatchdog {

    private final ConcurrentLinkedQueue<DeadlineAlarm> alarms = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** The loop's selector while it runs; null before (alarms wait for it) and after. */
    private volatile Selector selector;
    /** The loop has ended, or will never run (the endpoint could not bind): alarms and tasks are refused. */
    private volatile boolean stopped;
    /**
     * A task threw once already: logged then, not again (tasks run on one thread at a time, the loop's or the one
     * that stops it).
     */
    private boolean taskFailed;

    @Override
    public boolean watch(DeadlineAlarm alarm) {
        return enqueue(alarms, alarm);
    }

    @Override
    public boolean runOnOwnThread(Runnable task) {
        return enqueue(tasks, task);
    }

    /** Hands {@code item} (an alarm, a task) to the loop; false once it has stopped. */
    private <T> boolean enqueue(ConcurrentLinkedQueue<T> queue, T item) {
        if (stopped) {
            return false;
        }
        queue.add(item);
        wakeUp();
        // stopped meanwhile: unless the loop took the item on its way out (and fired or ran it), nobody ever will
        return !stopped || !queue.remove(item);
    }

    /** Read after an add: a loop that starts later finds what was added in its first pass. */
    private void wakeUp() {
        Selector s = selector;
        if (s != null) {
            try {
                s.wakeup();
            } catch (Throwable ignored) {
                // a selector closing: the loop has ended, and its caller sees stopped
            }
        }
    }

    /** The loop starts watching with {@code selector}. */
    void attach(Selector selector) {
        this.selector = selector;
    }

    /**
     * The loop has ended or will never run: alarms are refused from now (the sampler then borrows on a thread of
     * its own), and those armed fire now, ending their waits early rather than never.
     */
    void detach() {
        stopped = true;
        selector = null;
        DeadlineAlarm alarm;
        while ((alarm = alarms.poll()) != null) {
            alarm.fire();
        }
        // the sampler's drain, run once more: it then finds this watchdog stopped and hands the rest to its worker
        runTasks();
    }

    /**
     * Runs the tasks queued before this call (those they queue wait for the next pass); returns whether more are
     * queued. Never throws: it runs on the endpoint's loop.
     */
    boolean runTasks() {
        for (int n = tasks.size(); n > 0; n--) {
            Runnable task = tasks.poll();
            if (task == null) {
                break;
            }
            try {
                task.run();
            } catch (Throwable t) {
                // a task must not throw; the loop outlives one that does, and says so once
                if (!taskFailed) {
                    taskFailed = true;
                    AgentLog.line("a task on the metrics endpoint's thread failed; the endpoint serves on", t);
                }
            }
        }
        return !tasks.isEmpty();
    }

    /**
     * Fires the alarms due at {@code now} and forgets the settled ones; returns the nanoseconds until the nearest
     * armed one ({@link Long#MAX_VALUE}: none). Never throws: it runs on the endpoint's loop.
     */
    long fireDue(long now) {
        long nearest = Long.MAX_VALUE;
        try {
            for (Iterator<DeadlineAlarm> it = alarms.iterator(); it.hasNext(); ) {
                DeadlineAlarm alarm = it.next();
                if (alarm.due(now)) {
                    alarm.fire();
                }
                if (alarm.settled()) {
                    it.remove();
                } else {
                    nearest = Math.min(nearest, alarm.deadlineNanos() - now);
                }
            }
        } catch (Throwable t) {
            return 1_000_000L; // look again in a millisecond rather than never
        }
        return nearest;
    }
}
