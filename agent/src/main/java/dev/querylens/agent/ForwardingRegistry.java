package dev.querylens.agent;

import io.micrometer.core.instrument.AbstractMeter;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.noop.NoopFunctionCounter;
import io.micrometer.core.instrument.noop.NoopFunctionTimer;
import io.micrometer.core.instrument.noop.NoopGauge;
import io.micrometer.core.instrument.noop.NoopLongTaskTimer;
import io.micrometer.core.instrument.noop.NoopMeter;

import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * A registry beside the agent's Prometheus registry (both under one composite) whose counters, summaries and timers
 * keep nothing and forward every recorded value to the sinks attached to them: the twins the
 * {@link MicrometerBridge} made in the application's own Micrometer. Lock-free on the recording path.
 */
final class ForwardingRegistry extends MeterRegistry {

    private static final WeakReference<?>[] NONE = new WeakReference<?>[0];
    /** Set while a sink's failure is reported, so that counting it (a meter, forwarded too) cannot recurse. */
    private static final ThreadLocal<boolean[]> REPORTING = ThreadLocal.withInitial(() -> new boolean[1]);

    /** Told of each failure of a sink: counts it in the agent's internal errors. */
    private volatile Consumer<Throwable> onSinkFailure;

    /**
     * A meter that forwards what it records. Its sinks are held weakly: each is kept alive by the bridge class
     * defined in the application's class loader, so an application undeployed from a server is no longer forwarded
     * to once its class loader is collected, and is never pinned by the agent.
     */
    abstract static class Forwarding extends AbstractMeter {
        final String type;
        final double[] slos;
        private final ForwardingRegistry registry;
        private volatile WeakReference<?>[] sinks = NONE;

        Forwarding(ForwardingRegistry registry, Id id, String type, double[] slos) {
            super(id);
            this.registry = registry;
            this.type = type;
            this.slos = slos;
        }

        synchronized void attach(DoubleConsumer sink) {
            WeakReference<?>[] next = Arrays.copyOf(sinks, sinks.length + 1);
            next[sinks.length] = new WeakReference<>(sink);
            sinks = next;
        }

        /** Sinks still alive. */
        int sinks() {
            int n = 0;
            for (WeakReference<?> ref : sinks) {
                if (ref.get() != null) {
                    n++;
                }
            }
            return n;
        }

        final void forward(double value) {
            boolean collected = false;
            for (WeakReference<?> ref : sinks) {
                Object sink = ref.get();
                if (sink == null) {
                    collected = true;
                    continue;
                }
                try {
                    ((DoubleConsumer) sink).accept(value);
                } catch (Throwable t) {
                    // the application's registry failing must not reach the statement path
                    registry.sinkFailed(t);
                }
            }
            if (collected) {
                dropCollected();
            }
        }

        private synchronized void dropCollected() {
            sinks = Arrays.stream(sinks).filter(ref -> ref.get() != null).toArray(WeakReference<?>[]::new);
        }

        @Override
        public Iterable<Measurement> measure() {
            return java.util.List.of();
        }
    }

    static final class ForwardingCounter extends Forwarding implements Counter {
        ForwardingCounter(ForwardingRegistry registry, Id id) {
            super(registry, id, "counter", null);
        }

        @Override
        public void increment(double amount) {
            forward(amount);
        }

        @Override
        public double count() {
            return 0;
        }
    }

    static final class ForwardingSummary extends Forwarding implements DistributionSummary {
        ForwardingSummary(ForwardingRegistry registry, Id id, double[] slos) {
            super(registry, id, "summary", slos);
        }

        @Override
        public void record(double amount) {
            if (amount >= 0) {
                forward(amount);
            }
        }

        @Override
        public long count() {
            return 0;
        }

        @Override
        public double totalAmount() {
            return 0;
        }

        @Override
        public double max() {
            return 0;
        }

        @Override
        public HistogramSnapshot takeSnapshot() {
            return HistogramSnapshot.empty(0, 0, 0);
        }
    }

    static final class ForwardingTimer extends Forwarding implements Timer {
        ForwardingTimer(ForwardingRegistry registry, Id id, double[] slosNanos) {
            super(registry, id, "timer", slosNanos);
        }

        @Override
        public void record(long amount, TimeUnit unit) {
            if (amount >= 0) {
                forward(unit.toNanos(amount));
            }
        }

        @Override
        public <T> T record(Supplier<T> f) {
            long start = System.nanoTime();
            try {
                return f.get();
            } finally {
                record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public <T> T recordCallable(Callable<T> f) throws Exception {
            long start = System.nanoTime();
            try {
                return f.call();
            } finally {
                record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void record(Runnable f) {
            long start = System.nanoTime();
            try {
                f.run();
            } finally {
                record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public long count() {
            return 0;
        }

        @Override
        public double totalTime(TimeUnit unit) {
            return 0;
        }

        @Override
        public double max(TimeUnit unit) {
            return 0;
        }

        @Override
        public TimeUnit baseTimeUnit() {
            return TimeUnit.SECONDS;
        }

        @Override
        public HistogramSnapshot takeSnapshot() {
            return HistogramSnapshot.empty(0, 0, 0);
        }
    }

    ForwardingRegistry() {
        super(Clock.SYSTEM);
    }

    /** Where the failures of the application's twins go from now on (the agent's internal errors). */
    void onSinkFailure(Consumer<Throwable> onSinkFailure) {
        this.onSinkFailure = onSinkFailure;
    }

    private void sinkFailed(Throwable t) {
        Consumer<Throwable> report = onSinkFailure;
        boolean[] reporting = REPORTING.get();
        if (report == null || reporting[0]) {
            return;
        }
        reporting[0] = true;
        try {
            report.accept(t);
        } catch (Throwable ignored) {
            // nothing of it reaches the statement path
        } finally {
            reporting[0] = false;
        }
    }

    @Override
    protected Counter newCounter(Meter.Id id) {
        return new ForwardingCounter(this, id);
    }

    @Override
    protected DistributionSummary newDistributionSummary(Meter.Id id, DistributionStatisticConfig config, double scale) {
        return new ForwardingSummary(this, id, config.getServiceLevelObjectiveBoundaries());
    }

    @Override
    protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
        return new ForwardingTimer(this, id, config.getServiceLevelObjectiveBoundaries());
    }

    @Override
    protected <T> Gauge newGauge(Meter.Id id, T obj, ToDoubleFunction<T> valueFunction) {
        return new NoopGauge(id);
    }

    @Override
    protected LongTaskTimer newLongTaskTimer(Meter.Id id, DistributionStatisticConfig config) {
        return new NoopLongTaskTimer(id);
    }

    @Override
    protected Meter newMeter(Meter.Id id, Meter.Type type, Iterable<Measurement> measurements) {
        return new NoopMeter(id);
    }

    @Override
    protected <T> FunctionTimer newFunctionTimer(Meter.Id id, T obj, ToLongFunction<T> countFunction,
                                                 ToDoubleFunction<T> totalTimeFunction, TimeUnit unit) {
        return new NoopFunctionTimer(id);
    }

    @Override
    protected <T> FunctionCounter newFunctionCounter(Meter.Id id, T obj, ToDoubleFunction<T> countFunction) {
        return new NoopFunctionCounter(id);
    }

    @Override
    protected TimeUnit getBaseTimeUnit() {
        return TimeUnit.SECONDS;
    }

    @Override
    protected DistributionStatisticConfig defaultHistogramConfig() {
        return DistributionStatisticConfig.NONE;
    }
}
