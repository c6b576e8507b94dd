package dev.querylens.agent.hooks;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The unit of work each fork/join task was forked in, kept from {@code fork()} (or its hand-over to a
 * {@code ForkJoinPool}) until the task runs. The JDK's {@code ForkJoinTask} cannot be given a field by
 * retransformation, so the unit is kept beside the task, keyed by the task's identity (never its own
 * {@code equals}/{@code hashCode}), without locks.
 * <p>
 * Bounded: the keys are weak, so a task that never runs (cancelled and dropped, its pool shut down) keeps neither
 * itself nor its unit, and its entry goes at a later fork; and at most {@value #MAX_PENDING} tasks wait at once
 * (about 100 bytes each). A task forked while that many wait carries nothing: its statements count under
 * {@code none}.
 */
final class ForkJoinUnits {

    static final int MAX_PENDING = 65_536;

    private static final ConcurrentHashMap<Object, Object> UNITS = new ConcurrentHashMap<>();
    private static final ReferenceQueue<Object> COLLECTED = new ReferenceQueue<>();
    /** Entries in {@link #UNITS}, read first on every run so that a JVM carrying no task pays one volatile read. */
    private static final AtomicInteger PENDING = new AtomicInteger();

    private ForkJoinUnits() {
    }

    /** {@code task} was forked in {@code unit} ({@code null}: in none, so it carries nothing, even if forked before). */
    static void forked(Object task, Object unit) {
        if (unit == null) {
            if (PENDING.get() > 0 && UNITS.remove(new Lookup(task)) != null) {
                PENDING.decrementAndGet();
            }
            return;
        }
        expungeCollected();
        if (PENDING.get() >= MAX_PENDING) {
            return;
        }
        if (UNITS.put(new Key(task, COLLECTED), unit) == null) {
            PENDING.incrementAndGet();
        }
    }

    /** The unit {@code task} was forked in, forgotten as it is handed out; {@code null} if none. */
    static Object take(Object task) {
        if (PENDING.get() == 0) {
            return null;
        }
        Object unit = UNITS.remove(new Lookup(task));
        if (unit != null) {
            PENDING.decrementAndGet();
        }
        return unit;
    }

    /** Tasks waiting to run with a unit (entries whose task was collected included, until they are expunged). */
    static int pending() {
        return PENDING.get();
    }

    private static void expungeCollected() {
        for (Reference<?> r; (r = COLLECTED.poll()) != null; ) {
            if (UNITS.remove(r) != null) {
                PENDING.decrementAndGet();
            }
        }
    }

    /** The stored key: equal to the key or lookup of the same task, by identity; never to anything once cleared. */
    private static final class Key extends WeakReference<Object> {
        private final int hash;

        Key(Object task, ReferenceQueue<Object> queue) {
            super(task, queue);
            this.hash = System.identityHashCode(task);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (other == this) {
                return true;
            }
            Object task = get();
            return task != null && isKeyOf(task, other);
        }
    }

    /** A short-lived key to find a task's entry with. */
    private static final class Lookup {
        private final Object task;
        private final int hash;

        Lookup(Object task) {
            this.task = task;
            this.hash = System.identityHashCode(task);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return isKeyOf(task, other);
        }
    }

    /** True when {@code key} is a {@link Key} or {@link Lookup} of {@code task}. */
    private static boolean isKeyOf(Object task, Object key) {
        return key instanceof Key k ? k.get() == task : key instanceof Lookup l && l.task == task;
    }
}
