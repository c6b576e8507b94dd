package dev.querylens.agent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * Mirrors the agent's meters into the application's own Micrometer, when it has one: when a class loader loads the
 * application's (unshaded) {@code io.micrometer.core.instrument.Metrics}, the bridge class is defined in that
 * loader and every agent meter, present and future, is registered there as a function meter reading the agent's.
 */
final class MicrometerBridge implements ClassFileTransformer {

    /** Built at run time: shading rewrites string constants that name the packages it relocates. */
    static final String METRICS_CLASS = String.join(".", "io", "micrometer", "core", "instrument", "Metrics");
    private static final String METRICS_INTERNAL = METRICS_CLASS.replace('.', '/');
    private static final String BRIDGE_RESOURCE = "/dev/querylens/agent/micrometer/QuerylensAgentBridge.classdata";

    private final MeterRegistry agentRegistry;
    private final List<Consumer<Map<String, Object>>> bridges = new CopyOnWriteArrayList<>();
    private final Set<ClassLoader> seen = Collections.newSetFromMap(new WeakHashMap<>());
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "querylens-micrometer-bridge");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean failureLogged;

    MicrometerBridge(MeterRegistry agentRegistry) {
        this.agentRegistry = agentRegistry;
    }

    void install(Instrumentation inst) {
        agentRegistry.config().onMeterAdded(this::mirrorToAll);
        inst.addTransformer(this, false);
        // attached late, or Micrometer loaded before the agent: bridge what is already there
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getName().equals(METRICS_CLASS) && c.getClassLoader() != null) {
                found(c.getClassLoader());
            }
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (loader != null && classBeingRedefined == null && METRICS_INTERNAL.equals(className)) {
            found(loader);
        }
        return null;
    }

    private void found(ClassLoader loader) {
        synchronized (seen) {
            if (!seen.add(loader)) {
                return;
            }
        }
        // not on the loading thread: Metrics is still being defined there
        worker.execute(() -> connect(loader));
    }

    private void connect(ClassLoader loader) {
        try {
            Class<?> metrics = Class.forName(METRICS_CLASS, true, loader);
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(metrics, MethodHandles.lookup());
            Class<?> bridgeClass = lookup.defineClass(bridgeBytes());
            @SuppressWarnings("unchecked")
            Consumer<Map<String, Object>> bridge =
                    (Consumer<Map<String, Object>>) bridgeClass.getConstructor().newInstance();
            bridges.add(bridge);
            for (Meter m : agentRegistry.getMeters()) {
                mirror(bridge, m);
            }
        } catch (Throwable t) {
            if (!failureLogged) {
                failureLogged = true;
                AgentLog.line("could not mirror the agent's meters into the application's Micrometer; they are still "
                        + "served by the agent's own /metrics endpoint (set querylens.micrometer.bridge=false to stop trying)", t);
            }
        }
    }

    private void mirrorToAll(Meter meter) {
        for (Consumer<Map<String, Object>> bridge : bridges) {
            mirror(bridge, meter);
        }
    }

    private void mirror(Consumer<Map<String, Object>> bridge, Meter meter) {
        try {
            Map<String, Object> d = describe(meter);
            if (d != null) {
                bridge.accept(d);
            }
        } catch (Throwable t) {
            if (!failureLogged) {
                failureLogged = true;
                AgentLog.line("could not mirror " + meter.getId().getName() + " into the application's Micrometer", t);
            }
        }
    }

    static Map<String, Object> describe(Meter meter) {
        Map<String, Object> d = new HashMap<>();
        Meter.Id id = meter.getId();
        d.put("name", id.getName());
        d.put("description", id.getDescription());
        d.put("baseUnit", id.getBaseUnit());
        List<Tag> tags = id.getTags();
        String[] kv = new String[tags.size() * 2];
        for (int i = 0; i < tags.size(); i++) {
            kv[2 * i] = tags.get(i).getKey();
            kv[2 * i + 1] = tags.get(i).getValue();
        }
        d.put("tags", kv);
        if (meter instanceof Counter c) {
            d.put("type", "counter");
            d.put("count", (DoubleSupplier) c::count);
        } else if (meter instanceof Timer t) {
            d.put("type", "timer");
            d.put("count", (DoubleSupplier) () -> t.count());
            d.put("total", (DoubleSupplier) () -> t.totalTime(TimeUnit.SECONDS));
        } else if (meter instanceof DistributionSummary s) {
            d.put("type", "summary");
            d.put("count", (DoubleSupplier) () -> s.count());
            d.put("total", (DoubleSupplier) s::totalAmount);
        } else {
            return null;
        }
        return d;
    }

    private static byte[] bridgeBytes() throws IOException {
        try (InputStream in = MicrometerBridge.class.getResourceAsStream(BRIDGE_RESOURCE)) {
            if (in == null) {
                throw new IOException(BRIDGE_RESOURCE + " is missing from the agent jar");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
