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

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The agent's registry when the Micrometer bridge is on: each of its meters is a meter of the registry that keeps the
 * counts (the agent's Prometheus registry, where it registers the same meter) and forwards every value it records to
 * the sinks attached to it: the twins the {@link MicrometerBridge} made in the application's own Micrometer. A value
 * goes straight to the two, without a composite registry's iteration over its children. Gauges and the other kinds
 * of meter are only kept. Lock-free on the recording path.
 */
final class ForwardingRegistry extends MeterRegistry {

    private static final WeakReference<?>[] NONE = new WeakReference<?>[0];
    /** Set while a sink's failure is reported, so that counting it (a meter, forwarded too) cannot recurse. */
    private static final ThreadLocal<boolean[]> REPORTING = ThreadLocal.withInitial(() -> new boolean[1]);

    /** Told of each failure of a sink: counts it in the agent's internal errors. */
    private volatile Consumer<Throwable> onSinkFailure;
    /** Where every meter is kept and counts: the agent's Prometheus registry. */
    private final MeterRegistry kept;

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
    }

    static final class ForwardingCounter extends Forwarding implements Counter {
        private final Counter kept;

        ForwardingCounter(ForwardingRegistry registry, Id id, Counter kept) {
            super(registry, id, "counter", null);
            this.kept = kept;
        }

        @Override
        public void increment(double amount) {
            kept.increment(amount);
            forward(amount);
        }

        @Override
        public double count() {
            return kept.count();
        }

        @Override
        public Iterable<Measurement> measure() {
            return kept.measure();
        }
    }

    static final class ForwardingSummary extends Forwarding implements DistributionSummary {
        private final DistributionSummary kept;

        ForwardingSummary(ForwardingRegistry registry, Id id, double[] slos, DistributionSummary kept) {
            super(registry, id, "summary", slos);
            this.kept = kept;
        }

        @Override
        public void record(double amount) {
            kept.record(amount);
            if (amount >= 0) {
                forward(amount);
            }
        }

        @Override
        public long count() {
            return kept.count();
        }

        @Override
        public double totalAmount() {
            return kept.totalAmount();
        }

        @Override
        public double max() {
            return kept.max();
        }

        @Override
        public HistogramSnapshot takeSnapshot() {
            return kept.takeSnapshot();
        }

        @Override
        public Iterable<Measurement> measure() {
            return kept.measure();
        }
    }

    static final class ForwardingTimer extends Forwarding implements Timer {
        private final Timer kept;

        ForwardingTimer(ForwardingRegistry registry, Id id, double[] slosNanos, Timer kept) {
            super(registry, id, "timer", slosNanos);
            this.kept = kept;
        }

        @Override
        public void record(long amount, TimeUnit unit) {
            kept.record(amount, unit);
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
            return kept.count();
        }

        @Override
        public double totalTime(TimeUnit unit) {
            return kept.totalTime(unit);
        }

        @Override
        public double max(TimeUnit unit) {
            return kept.max(unit);
        }

        @Override
        public TimeUnit baseTimeUnit() {
            return kept.baseTimeUnit();
        }

        @Override
        public HistogramSnapshot takeSnapshot() {
            return kept.takeSnapshot();
        }

        @Override
        public Iterable<Measurement> measure() {
            return kept.measure();
        }
    }

    /** @param kept where every meter is kept and counts: the agent's Prometheus registry */
    ForwardingRegistry(MeterRegistry kept) {
        super(Clock.SYSTEM);
        this.kept = kept;
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

    // The kept meters are registered as a composite registry registers its children's (Micrometer's
    // CompositeCounter, CompositeDistributionSummary, CompositeTimer...): with the description, buckets,
    // percentiles and expiry the meter was asked for, and the kept registry's own defaults for the rest.

    @Override
    protected Counter newCounter(Meter.Id id) {
        Counter counter = Counter.builder(id.getName()).tags(id.getTagsAsIterable()).description(id.getDescription())
                .baseUnit(id.getBaseUnit()).register(kept);
        return new ForwardingCounter(this, id, counter);
    }

    @Override
    protected DistributionSummary newDistributionSummary(Meter.Id id, DistributionStatisticConfig config, double scale) {
        DistributionSummary summary = DistributionSummary.builder(id.getName())
                .tags(id.getTagsAsIterable())
                .description(id.getDescription())
                .baseUnit(id.getBaseUnit())
                .publishPercentiles(config.getPercentiles())
                .publishPercentileHistogram(config.isPercentileHistogram())
                .maximumExpectedValue(config.getMaximumExpectedValueAsDouble())
                .minimumExpectedValue(config.getMinimumExpectedValueAsDouble())
                .distributionStatisticBufferLength(config.getBufferLength())
                .distributionStatisticExpiry(config.getExpiry())
                .percentilePrecision(config.getPercentilePrecision())
                .serviceLevelObjectives(config.getServiceLevelObjectiveBoundaries())
                .scale(scale)
                .register(kept);
        return new ForwardingSummary(this, id, config.getServiceLevelObjectiveBoundaries(), summary);
    }

    @Override
    protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
        Timer.Builder builder = Timer.builder(id.getName())
                .tags(id.getTagsAsIterable())
                .description(id.getDescription())
                .maximumExpectedValue(Duration.ofNanos(config.getMaximumExpectedValueAsDouble().longValue()))
                .minimumExpectedValue(Duration.ofNanos(config.getMinimumExpectedValueAsDouble().longValue()))
                .publishPercentiles(config.getPercentiles())
                .publishPercentileHistogram(config.isPercentileHistogram())
                .distributionStatisticBufferLength(config.getBufferLength())
                .distributionStatisticExpiry(config.getExpiry())
                .percentilePrecision(config.getPercentilePrecision())
                .pauseDetector(pauseDetector);
        double[] slosNanos = config.getServiceLevelObjectiveBoundaries();
        if (slosNanos != null) {
            Duration[] slos = new Duration[slosNanos.length];
            for (int i = 0; i < slosNanos.length; i++) {
                slos[i] = Duration.ofNanos((long) slosNanos[i]);
            }
            builder = builder.serviceLevelObjectives(slos);
        }
        return new ForwardingTimer(this, id, slosNanos, builder.register(kept));
    }

    @Override
    protected <T> Gauge newGauge(Meter.Id id, T obj, ToDoubleFunction<T> valueFunction) {
        return Gauge.builder(id.getName(), obj, valueFunction).tags(id.getTagsAsIterable())
                .description(id.getDescription()).baseUnit(id.getBaseUnit()).register(kept);
    }

    @Override
    protected LongTaskTimer newLongTaskTimer(Meter.Id id, DistributionStatisticConfig config) {
        return LongTaskTimer.builder(id.getName()).tags(id.getTagsAsIterable()).description(id.getDescription())
                .register(kept);
    }

    @Override
    protected Meter newMeter(Meter.Id id, Meter.Type type, Iterable<Measurement> measurements) {
        return Meter.builder(id.getName(), type, measurements).tags(id.getTagsAsIterable())
                .description(id.getDescription()).baseUnit(id.getBaseUnit()).register(kept);
    }

    @Override
    protected <T> FunctionTimer newFunctionTimer(Meter.Id id, T obj, ToLongFunction<T> countFunction,
                                                 ToDoubleFunction<T> totalTimeFunction, TimeUnit unit) {
        return FunctionTimer.builder(id.getName(), obj, countFunction, totalTimeFunction, unit)
                .tags(id.getTagsAsIterable()).description(id.getDescription()).register(kept);
    }

    @Override
    protected <T> FunctionCounter newFunctionCounter(Meter.Id id, T obj, ToDoubleFunction<T> countFunction) {
        return FunctionCounter.builder(id.getName(), obj, countFunction).tags(id.getTagsAsIterable())
                .description(id.getDescription()).baseUnit(id.getBaseUnit()).register(kept);
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
