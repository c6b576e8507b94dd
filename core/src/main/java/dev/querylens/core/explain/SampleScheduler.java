package dev.querylens.core.explain;

import dev.querylens.core.sql.Fingerprint;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which statements to sample, and when: each statement at most once per {@code querylens.explain.interval}, never
 * again once it proved unexplainable, and at most {@code querylens.explain.max-per-minute} samples in each
 * minute-long window over all statements. On the statement path: one map read in the common case, no lock.
 *
 * <p>Bound: {@value #MAX_TRACKED_STATEMENTS} statements remembered, by hash (cleared when full; the per-minute limit
 * still holds).
 */
final class SampleScheduler {
    static final int MAX_TRACKED_STATEMENTS = 4096;
    private static final long NEVER = Long.MIN_VALUE;
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final long intervalNanos;
    private final int maxPerMinute;
    /**
     * When each statement may next be sampled ({@link System#nanoTime()}), or {@link #NEVER}; keyed by the
     * fingerprint's hash, so that no SQL text is kept here.
     */
    private final ConcurrentHashMap<Fingerprint.Key, Long> nextSample = new ConcurrentHashMap<>();
    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    private final AtomicInteger windowCount = new AtomicInteger();

    SampleScheduler(long intervalNanos, int maxPerMinute) {
        this.intervalNanos = intervalNanos;
        this.maxPerMinute = maxPerMinute;
    }

    /** Whether to sample {@code fp} now; when so, it is not due again before the interval has passed. */
    boolean take(Fingerprint fp, long now) {
        Long next = nextSample.get(fp.key());
        if (next != null && (next == NEVER || now - next < 0)) {
            return false;
        }
        if (!permit(now)) {
            return false;
        }
        if (nextSample.size() >= MAX_TRACKED_STATEMENTS) {
            nextSample.clear();
        }
        nextSample.put(fp.key(), now + intervalNanos);
        return true;
    }

    /** Makes {@code fp} due again at its next execution (its sample was skipped for a passing reason). */
    void retry(Fingerprint fp) {
        nextSample.remove(fp.key());
    }

    /** Never samples {@code fp} again: what failed for it fails every time. */
    void never(Fingerprint fp) {
        nextSample.put(fp.key(), NEVER);
    }

    /** At most {@code max-per-minute} samples in each minute-long window. */
    private boolean permit(long now) {
        if (maxPerMinute <= 0) {
            return false;
        }
        long start = windowStart.get();
        if (now - start >= MINUTE_NANOS && windowStart.compareAndSet(start, now)) {
            windowCount.set(0);
        }
        return windowCount.incrementAndGet() <= maxPerMinute;
    }
}
