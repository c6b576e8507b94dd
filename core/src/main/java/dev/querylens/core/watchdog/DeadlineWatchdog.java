package dev.querylens.core.watchdog;

/**
 * Something that already runs a thread of its own (the agent's metrics endpoint) and fires {@link DeadlineAlarm}s at
 * their deadlines for Querylens's other threads. Given to {@link dev.querylens.core.QueryLens.Builder#explainWatchdog}, it lets the
 * EXPLAIN sampler bound its borrow of a connection on its own worker thread, instead of on a borrowing thread of its
 * own.
 */
public interface DeadlineWatchdog {

    /**
     * Fires {@code alarm} at its deadline unless it is cancelled first. Returns false when this watchdog cannot
     * watch now (not running yet, or stopped): the caller then bounds its wait another way. Never blocks; must not
     * throw.
     */
    boolean watch(DeadlineAlarm alarm);
}
