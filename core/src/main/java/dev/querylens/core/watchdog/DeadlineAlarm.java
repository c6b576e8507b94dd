package dev.querylens.core.watchdog;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An alarm that interrupts the thread that armed it at a deadline, unless that thread cancels it first: how a
 * Querylens thread bounds a wait that only an interrupt ends (a pool's {@code getConnection}) without a thread of
 * its own beside it. A {@link DeadlineWatchdog} fires it; the armed thread cancels it once its wait is over.
 *
 * <p>The interrupt never leaks out of the window between arming and {@link #cancel()}: the states go ARMED to
 * FIRING to FIRED, or ARMED to CANCELLED, each step by compare-and-set, so once {@code cancel()} has returned no
 * interrupt of this alarm is still to come, and one that came has been cleared. An interrupt the thread already had
 * when it armed the alarm is kept.
 */
public final class DeadlineAlarm {
    private static final int ARMED = 0;
    private static final int FIRING = 1;
    private static final int FIRED = 2;
    private static final int CANCELLED = 3;
    /** Fired, and its interrupt since cleared by {@link #cancel()}: a second cancel clears nothing more. */
    private static final int SPENT = 4;

    private final Thread thread;
    private final long deadlineNanos;
    private final boolean interruptedBefore;
    private final AtomicInteger state = new AtomicInteger(ARMED);

    private DeadlineAlarm(Thread thread, long deadlineNanos) {
        this.thread = thread;
        this.deadlineNanos = deadlineNanos;
        this.interruptedBefore = thread.isInterrupted();
    }

    /** An alarm for the calling thread, due at {@code deadlineNanos} ({@link System#nanoTime()} time). */
    public static DeadlineAlarm forCurrentThread(long deadlineNanos) {
        return new DeadlineAlarm(Thread.currentThread(), deadlineNanos);
    }

    /** When the alarm is due, in {@link System#nanoTime()} time. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** Whether it is due at {@code nowNanos}. */
    public boolean due(long nowNanos) {
        return nowNanos - deadlineNanos >= 0;
    }

    /** Fired or cancelled: a watchdog may forget it. */
    public boolean settled() {
        return state.get() != ARMED;
    }

    /**
     * For the watchdog: interrupts the armed thread unless the alarm was cancelled (or fired) already. Returns
     * whether it did. Never throws.
     */
    public boolean fire() {
        if (!state.compareAndSet(ARMED, FIRING)) {
            return false;
        }
        try {
            thread.interrupt();
        } catch (Throwable ignored) {
            // a security manager that refuses: the wait then ends by its own bound
        } finally {
            state.set(FIRED);
        }
        return true;
    }

    /**
     * For the armed thread, its wait over: the alarm fires no more. Returns whether it had fired; then its interrupt
     * is cleared (the thread's interrupt from before arming is kept), even if the interrupted code had restored it.
     *
     * @throws IllegalStateException on any other thread: only the armed thread can clear its own interrupt
     */
    public boolean cancel() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("a deadline alarm is cancelled by the thread that armed it");
        }
        if (state.compareAndSet(ARMED, CANCELLED)) {
            return false;
        }
        int s;
        while ((s = state.get()) == FIRING) {
            // the watchdog is between its compare-and-set and the interrupt: a few instructions
            Thread.onSpinWait();
            Thread.yield();
        }
        if (s == FIRED && state.compareAndSet(FIRED, SPENT)) {
            Thread.interrupted();
            if (interruptedBefore) {
                thread.interrupt();
            }
        }
        return s != CANCELLED;
    }
}
