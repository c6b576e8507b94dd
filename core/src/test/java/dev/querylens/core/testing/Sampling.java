package dev.querylens.core.testing;

import dev.querylens.core.QueryLens;
import dev.querylens.core.QueryLensMeters;
import dev.querylens.core.watchdog.DeadlineWatchdog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A {@link QueryLens} with EXPLAIN sampling on and its {@code querylens.explain} outcomes at hand, for tests that
 * watch what the sampler does to a real database.
 */
public final class Sampling implements AutoCloseable {
    public final MeterRegistry registry;
    public final QueryLens lens;

    public Sampling(Map<String, String> config) {
        this(new SimpleMeterRegistry(), config);
    }

    public Sampling(MeterRegistry registry, Map<String, String> config) {
        this(registry, config, null);
    }

    /** With {@code watchdog} bounding the sampler's borrows, as the agent's metrics endpoint does. */
    public Sampling(Map<String, String> config, DeadlineWatchdog watchdog) {
        this(new SimpleMeterRegistry(), config, watchdog);
    }

    private Sampling(MeterRegistry registry, Map<String, String> config, DeadlineWatchdog watchdog) {
        this.registry = registry;
        this.lens = QueryLens.builder().meterRegistry(registry).config(config).explainWatchdog(watchdog).build();
    }

    /** Samples that ended with {@code outcome} ({@code ok}, {@code seqscan}, {@code skipped}, ...). */
    public double outcome(String outcome) {
        Counter c = registry.find(QueryLensMeters.EXPLAIN).tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    public double total() {
        return registry.find(QueryLensMeters.EXPLAIN).counters().stream().mapToDouble(Counter::count).sum();
    }

    public Map<String, Double> outcomes() {
        Map<String, Double> out = new TreeMap<>();
        registry.find(QueryLensMeters.EXPLAIN).counters().forEach(c -> out.put(c.getId().getTag("outcome"), c.count()));
        return out;
    }

    /** Waits until {@code n} samples have ended, whatever their outcome. */
    public void awaitTotal(double n) {
        await(n + " samples", () -> total() >= n);
    }

    /** Polls {@code condition} for at most 20 seconds: the sampler works on threads of its own. */
    public void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + "; outcomes so far: " + outcomes());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        lens.close();
    }
}
