package dev.querylens.core.watchdog;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alarm's interrupt stays inside the window between arming and cancelling, whoever wins the race. */
class DeadlineAlarmTest {

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void aFiredAlarmInterruptsAndItsCancelClearsTheInterrupt() {
        DeadlineAlarm alarm = DeadlineAlarm.forCurrentThread(System.nanoTime());
        assertTrue(alarm.fire());
        assertTrue(Thread.currentThread().isInterrupted());
        assertFalse(alarm.fire(), "fired twice");
        assertTrue(alarm.cancel(), "cancel tells that it fired");
        assertFalse(Thread.currentThread().isInterrupted(), "the alarm's interrupt outlived its window");
        // a second cancel clears nothing: an interrupt from someone else since then stays
        Thread.currentThread().interrupt();
        assertTrue(alarm.cancel());
        assertTrue(Thread.currentThread().isInterrupted());
    }

    @Test
    void aCancelledAlarmFiresNoMore() {
        DeadlineAlarm alarm = DeadlineAlarm.forCurrentThread(System.nanoTime() - 1);
        assertTrue(alarm.due(System.nanoTime()));
        assertFalse(alarm.cancel());
        assertTrue(alarm.settled());
        assertFalse(alarm.fire());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void anInterruptFromBeforeArmingIsKept() {
        Thread.currentThread().interrupt();
        DeadlineAlarm alarm = DeadlineAlarm.forCurrentThread(System.nanoTime());
        assertTrue(alarm.fire());
        assertTrue(alarm.cancel());
        assertTrue(Thread.currentThread().isInterrupted(), "the thread's own interrupt was cleared with the alarm's");
    }

    @Test
    void onlyTheArmedThreadCancels() throws Exception {
        DeadlineAlarm alarm = DeadlineAlarm.forCurrentThread(System.nanoTime());
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                alarm.cancel();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        other.start();
        other.join();
        assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
        assertFalse(alarm.settled());
    }

    /**
     * A watchdog on another thread fires each alarm the moment it is armed, racing the armed thread's cancel: after
     * cancel returns and the watchdog is done with the alarm, the thread is never left interrupted.
     */
    @Test
    void cancelRacingFireNeverLeavesTheInterruptSet() throws Exception {
        AtomicReference<DeadlineAlarm> armed = new AtomicReference<>();
        Thread watchdog = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                DeadlineAlarm a = armed.getAndSet(null);
                if (a != null) {
                    a.fire();
                }
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        int fired = 0;
        int cancelled = 0;
        try {
            long deadline = System.nanoTime() + 20_000_000_000L;
            // until both sides have won the race often, for at most 20 s
            for (int i = 0; (fired < 200 || cancelled < 200) && System.nanoTime() < deadline; i++) {
                DeadlineAlarm alarm = DeadlineAlarm.forCurrentThread(System.nanoTime());
                armed.set(alarm);
                if (alarm.cancel()) {
                    fired++;
                } else {
                    cancelled++;
                }
                // the watchdog has let go of the alarm, or takes it now and finds it settled
                armed.compareAndSet(alarm, null);
                assertTrue(alarm.settled());
                assertFalse(Thread.currentThread().isInterrupted(), "interrupt left set after round " + i);
            }
        } finally {
            watchdog.interrupt();
            watchdog.join();
        }
        assertFalse(Thread.currentThread().isInterrupted());
        assertTrue(fired >= 200 && cancelled >= 200, "the race was run: fired " + fired + ", cancelled " + cancelled);
    }
}
