package io.micrometer.core.instrument;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * Compiled against the real (unshaded) Micrometer API and kept out of shading: the agent defines this class in the
 * application's own class loader, beside the application's Micrometer, and hands it one description per agent meter.
 * Only JDK types cross: the meter's name, tags, description, base unit and {@link DoubleSupplier}s that read the
 * agent's meter. Each becomes a function meter in the application's {@link Metrics#globalRegistry}.
 *
 * <p>Counters become FunctionCounters; timers FunctionTimers (count and total time); distribution summaries a
 * custom meter of type DISTRIBUTION_SUMMARY with count and total. Histogram buckets do not cross.
 */
public final class QuerylensAgentBridge implements Consumer<Map<String, Object>> {

    /** Keeps the suppliers reachable: function meters hold their state object weakly. */
    private final List<Object> strong = new CopyOnWriteArrayList<>();

    @Override
    public void accept(Map<String, Object> meter) {
        MeterRegistry registry = Metrics.globalRegistry;
        String type = (String) meter.get("type");
        String name = (String) meter.get("name");
        String description = (String) meter.get("description");
        String baseUnit = (String) meter.get("baseUnit");
        Tags tags = Tags.of((String[]) meter.get("tags"));
        DoubleSupplier count = (DoubleSupplier) meter.get("count");
        DoubleSupplier total = (DoubleSupplier) meter.get("total");
        switch (type) {
            case "counter" -> {
                strong.add(count);
                FunctionCounter.builder(name, count, DoubleSupplier::getAsDouble)
                        .tags(tags).description(description).baseUnit(baseUnit).register(registry);
            }
            case "timer" -> {
                DoubleSupplier[] state = {count, total};
                strong.add(state);
                FunctionTimer.builder(name, state, s -> (long) s[0].getAsDouble(), s -> s[1].getAsDouble(), TimeUnit.SECONDS)
                        .tags(tags).description(description).register(registry);
            }
            case "summary" -> {
                strong.add(count);
                strong.add(total);
                List<Measurement> measurements = new ArrayList<>(2);
                measurements.add(new Measurement(count::getAsDouble, Statistic.COUNT));
                measurements.add(new Measurement(total::getAsDouble, Statistic.TOTAL));
                Meter.builder(name, Meter.Type.DISTRIBUTION_SUMMARY, measurements)
                        .tags(tags).description(description).baseUnit(baseUnit).register(registry);
            }
            default -> {
                // a meter type the bridge does not mirror
            }
        }
    }
}
