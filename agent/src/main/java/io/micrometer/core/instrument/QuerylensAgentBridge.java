package io.micrometer.core.instrument;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleConsumer;
import java.util.function.Function;

/**
 * Compiled against the real (unshaded) Micrometer API and kept out of shading: the agent defines this class in the
 * application's own class loader, beside the application's Micrometer, and hands it one description per agent meter.
 * Only JDK types cross: name, tags, description, base unit, type and service-level objectives in; a
 * {@link DoubleConsumer} out, to which the agent forwards every value it records. So each agent meter has a real
 * twin in the application's {@link Metrics#globalRegistry}: a Counter, a DistributionSummary or a Timer, with the
 * same buckets.
 */
public final class QuerylensAgentBridge implements Function<Map<String, Object>, DoubleConsumer> {

    /**
     * What keeps this bridge and its sinks alive: this class, so this class loader. The agent holds them weakly only,
     * so that an application undeployed from a server takes its bridge with it and its class loader can be collected.
     */
    private static final Set<Object> KEPT = ConcurrentHashMap.newKeySet();

    public QuerylensAgentBridge() {
        KEPT.add(this);
    }

    @Override
    public DoubleConsumer apply(Map<String, Object> meter) {
        DoubleConsumer sink = twin(meter);
        if (sink != null) {
            KEPT.add(sink);
        }
        return sink;
    }

    private static DoubleConsumer twin(Map<String, Object> meter) {
        MeterRegistry registry = Metrics.globalRegistry;
        String type = (String) meter.get("type");
        String name = (String) meter.get("name");
        String description = (String) meter.get("description");
        String baseUnit = (String) meter.get("baseUnit");
        Tags tags = Tags.of((String[]) meter.get("tags"));
        double[] slos = (double[]) meter.get("slos");
        switch (type) {
            case "counter": {
                Counter c = Counter.builder(name).tags(tags).description(description).baseUnit(baseUnit).register(registry);
                return c::increment;
            }
            case "summary": {
                DistributionSummary s = DistributionSummary.builder(name).tags(tags).description(description)
                        .baseUnit(baseUnit).serviceLevelObjectives(slos).register(registry);
                return s::record;
            }
            case "timer": {
                Duration[] durations = new Duration[slos == null ? 0 : slos.length];
                for (int i = 0; i < durations.length; i++) {
                    durations[i] = Duration.ofNanos((long) slos[i]);
                }
                Timer t = Timer.builder(name).tags(tags).description(description)
                        .serviceLevelObjectives(durations).register(registry);
                return nanos -> t.record((long) nanos, TimeUnit.NANOSECONDS);
            }
            default:
                return null;
        }
    }
}
