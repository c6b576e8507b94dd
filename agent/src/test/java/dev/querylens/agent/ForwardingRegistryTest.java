package dev.querylens.agent;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ForwardingRegistryTest {

    @Test
    void forwardsEveryRecordedValueToTheAttachedSinksWithTheMetersBuckets() {
        SimpleMeterRegistry kept = new SimpleMeterRegistry();
        ForwardingRegistry forwarding = new ForwardingRegistry();
        CompositeMeterRegistry composite = new CompositeMeterRegistry(Clock.SYSTEM, List.of(kept, forwarding));
        List<Map<String, Object>> described = new ArrayList<>();
        List<String> forwarded = new ArrayList<>();
        forwarding.config().onMeterAdded(m -> {
            ForwardingRegistry.Forwarding f = (ForwardingRegistry.Forwarding) m;
            described.add(MicrometerBridge.describe(f));
            f.attach(v -> forwarded.add(m.getId().getName() + "=" + v));
        });

        Counter c = Counter.builder("c").tag("endpoint", "GET /x").register(composite);
        DistributionSummary s = DistributionSummary.builder("s").serviceLevelObjectives(1, 5).register(composite);
        Timer t = Timer.builder("t").serviceLevelObjectives(Duration.ofMillis(10)).register(composite);
        c.increment(2);
        s.record(3);
        t.record(7, TimeUnit.MILLISECONDS);

        assertEquals(List.of("c=2.0", "s=3.0", "t=7000000.0"), forwarded);
        assertEquals(2.0, kept.get("c").counter().count());
        assertEquals("counter", described.get(0).get("type"));
        assertArrayEquals(new String[]{"endpoint", "GET /x"}, (String[]) described.get(0).get("tags"));
        assertArrayEquals(new double[]{1, 5}, (double[]) described.get(1).get("slos"));
        assertArrayEquals(new double[]{10_000_000}, (double[]) described.get(2).get("slos"));
        for (Meter m : forwarding.getMeters()) {
            assertEquals(ForwardingRegistry.Forwarding.class, m.getClass().getSuperclass());
        }
    }

    @Test
    void aFailingSinkNeverReachesTheCaller() {
        ForwardingRegistry forwarding = new ForwardingRegistry();
        Counter c = Counter.builder("c").register(forwarding);
        ((ForwardingRegistry.Forwarding) c).attach(v -> {
            throw new IllegalStateException("the application's registry is broken");
        });
        c.increment();
    }
}
