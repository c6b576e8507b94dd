package dev.querylens.core.watchdog;

/**
 * Something that already runs a thread of its own (the agent's metrics endpoint) and fires {@link DeadlineAlarm}s at
 * their deadlines for Querylens's other threads, and runs short tasks on that thread. Given to
 * {@link dev.querylens.core.QueryLens.Builder#explainWatchdog}, it lets the EXPLAIN sampler take its samples on that
 * thread where every wait of a sample is bounded without an alarm, and elsewhere bound its borrow of a connection on
 * its own worker thread, instead of on a borrowing thread of its own.
 */
public interface DeadlineWatchdog {

    /**
     * Fires {@code alarm} at its deadline unless it is cancelled first. Returns false when this watchdog cannot
     * watch now (not running yet, or stopped): the caller then bounds its wait another way. Never blocks; must not
     * throw.
     */
    boolean watch(DeadlineAlarm alarm);

    /**
     * Runs {@code task} on this watchdog's own thread, soon, between two of its passes; returns false when it cannot
     * (stopped, or it runs no tasks), and the caller runs the task elsewhere. A task accepted before the watchdog
     * stops is still run once, on the thread that stops it. While a task runs, alarms wait and the watchdog's own
     * work waits: give only a task whose every wait is bounded without an alarm, and keep it short. A task must not
     * throw; one that does is not run again. Never blocks.
     */
    default boolean runOnOwnThread(Runnable task) {
        return false;
    }
}
