package dev.querylens.agent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleConsumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwardingRegistryTest {

    @Test
    void forwardsEveryRecordedValueToTheAttachedSinksWithTheMetersBuckets() {
        SimpleMeterRegistry kept = new SimpleMeterRegistry();
        ForwardingRegistry forwarding = new ForwardingRegistry(kept);
        List<Map<String, Object>> described = new ArrayList<>();
        List<String> forwarded = new ArrayList<>();
        // the bridge class keeps its sinks alive in the application; here the test does
        List<DoubleConsumer> sinks = new ArrayList<>();
        forwarding.config().onMeterAdded(m -> {
            ForwardingRegistry.Forwarding f = (ForwardingRegistry.Forwarding) m;
            described.add(MicrometerBridge.describe(f));
            DoubleConsumer sink = v -> forwarded.add(m.getId().getName() + "=" + v);
            sinks.add(sink);
            f.attach(sink);
        });

        Counter c = Counter.builder("c").tag("endpoint", "GET /x").register(forwarding);
        DistributionSummary s = DistributionSummary.builder("s").serviceLevelObjectives(1, 5).register(forwarding);
        Timer t = Timer.builder("t").serviceLevelObjectives(Duration.ofMillis(10)).register(forwarding);
        c.increment(2);
        s.record(3);
        t.record(7, TimeUnit.MILLISECONDS);

        assertEquals(List.of("c=2.0", "s=3.0", "t=7000000.0"), forwarded);
        assertEquals(2.0, kept.get("c").counter().count());
        assertEquals(2.0, c.count());
        assertEquals(1, kept.get("s").summary().count());
        assertEquals(3.0, kept.get("s").summary().totalAmount());
        assertEquals(1, kept.get("t").timer().count());
        assertEquals(1, t.count());
        assertEquals("counter", described.get(0).get("type"));
        assertArrayEquals(new String[]{"endpoint", "GET /x"}, (String[]) described.get(0).get("tags"));
        assertArrayEquals(new double[]{1, 5}, (double[]) described.get(1).get("slos"));
        assertArrayEquals(new double[]{10_000_000}, (double[]) described.get(2).get("slos"));
        for (Meter m : forwarding.getMeters()) {
            assertEquals(ForwardingRegistry.Forwarding.class, m.getClass().getSuperclass());
        }
    }

    @Test
    void aFailingSinkNeverReachesTheCallerAndIsCounted() {
        ForwardingRegistry forwarding = new ForwardingRegistry(new SimpleMeterRegistry());
        List<Throwable> reported = new ArrayList<>();
        forwarding.onSinkFailure(reported::add);
        Counter c = Counter.builder("c").register(forwarding);
        DoubleConsumer failing = v -> {
            throw new IllegalStateException("the application's registry is broken");
        };
        ((ForwardingRegistry.Forwarding) c).attach(failing);
        c.increment();
        c.increment();
        assertEquals(2, reported.size());
        assertEquals("the application's registry is broken", reported.get(0).getMessage());
    }

    @Test
    void aSinkCountingItsOwnFailureDoesNotRecurse() {
        ForwardingRegistry forwarding = new ForwardingRegistry(new SimpleMeterRegistry());
        Counter errors = Counter.builder("querylens.internal.errors").register(forwarding);
        int[] reports = new int[1];
        // as in the agent: a failure is counted in a meter that forwards to the same failing twin
        forwarding.onSinkFailure(t -> {
            reports[0]++;
            errors.increment();
        });
        DoubleConsumer failing = v -> {
            throw new IllegalStateException("broken");
        };
        ((ForwardingRegistry.Forwarding) errors).attach(failing);
        errors.increment();
        assertEquals(1, reports[0]);
    }

    @Test
    void aSinkNoLongerKeptAnywhereIsDropped() {
        ForwardingRegistry forwarding = new ForwardingRegistry(new SimpleMeterRegistry());
        Counter c = Counter.builder("c").register(forwarding);
        ForwardingRegistry.Forwarding f = (ForwardingRegistry.Forwarding) c;
        int[] seen = new int[2];
        // capturing lambdas: each one a new object, alive only while something holds it
        DoubleConsumer kept = v -> seen[0]++;
        f.attach(kept);
        f.attach(v -> seen[1]++);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (f.sinks() > 1 && System.nanoTime() < deadline) {
            System.gc();
            c.increment();
        }
        assertEquals(1, f.sinks(), "only the sink something else keeps alive is left");
        c.increment();
        assertTrue(seen[0] > 0);
        java.lang.ref.Reference.reachabilityFence(kept);
    }

    @Test
    void theAgentsPrometheusRegistryKeepsEveryMeterWithItsBucketsWithoutAnySink() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ForwardingRegistry forwarding = new ForwardingRegistry(prometheus);
        Counter c = Counter.builder("querylens.statements").description("SQL statements").tag("endpoint", "GET /x")
                .register(forwarding);
        DistributionSummary s = DistributionSummary.builder("querylens.request.statements")
                .serviceLevelObjectives(1, 5).register(forwarding);
        Timer t = Timer.builder("querylens.request.db.time").serviceLevelObjectives(Duration.ofMillis(10))
                .register(forwarding);
        java.util.concurrent.atomic.AtomicInteger level = new java.util.concurrent.atomic.AtomicInteger(4);
        io.micrometer.core.instrument.Gauge.builder("g", level, java.util.concurrent.atomic.AtomicInteger::get)
                .register(forwarding);
        c.increment(3);
        s.record(2);
        t.record(7, TimeUnit.MILLISECONDS);

        String scrape = prometheus.scrape();
        assertTrue(scrape.contains("# HELP querylens_statements_total SQL statements"), scrape);
        assertTrue(scrape.contains("querylens_statements_total{endpoint=\"GET /x\"} 3.0"), scrape);
        assertTrue(scrape.contains("querylens_request_statements_bucket{le=\"1.0\"} 0"), scrape);
        assertTrue(scrape.contains("querylens_request_statements_bucket{le=\"5.0\"} 1"), scrape);
        assertTrue(scrape.contains("querylens_request_db_time_seconds_bucket{le=\"0.01\"} 1"), scrape);
        assertTrue(scrape.contains("g 4.0"), scrape);
        assertEquals(3.0, c.count());
        assertEquals(1, s.count());
        assertEquals(prometheus.get("querylens.request.db.time").timer().count(), t.count());
    }
}
