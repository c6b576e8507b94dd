package dev.querylens.agent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.ref.WeakReference;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleConsumer;
import java.util.function.Function;

/**
 * Mirrors the agent's meters into the application's own Micrometer, when it has one: when a class loader loads the
 * application's (unshaded) {@code io.micrometer.core.instrument.Metrics}, the bridge class is defined in that
 * loader, a twin of every agent meter, present and future, is registered in its global registry, and the
 * {@link ForwardingRegistry} forwards each recorded value to the twin from then on. Counters are seeded with the
 * agent's count so far; summaries and timers count from the moment the bridge connects.
 *
 * <p>No thread of its own: the transformer only notes the class loader (Metrics is still being defined on that
 * thread, and nothing may be loaded from inside a transformer), and the bridge connects at the next
 * {@link #connectPending() safe point} on an application thread: a servlet request beginning, or the outermost
 * {@code getConnection} returning, before any statement of it is counted. Connecting keeps nothing of that thread:
 * the bridge is defined in the loader that loaded Metrics, whichever thread does it.
 */
final class MicrometerBridge implements ClassFileTransformer {

    /** Built at run time: shading rewrites string constants that name the packages it relocates. */
    static final String METRICS_CLASS = String.join(".", "io", "micrometer", "core", "instrument", "Metrics");
    private static final String METRICS_INTERNAL = METRICS_CLASS.replace('.', '/');
    private static final String BRIDGE_RESOURCE = "/dev/querylens/agent/micrometer/QuerylensAgentBridge.classdata";

    private final ForwardingRegistry forwarding;
    private final MeterRegistry agentRegistry;
    /**
     * The bridges made so far, held weakly: each is kept alive by its own class, in the application's class loader,
     * so an application undeployed from a server takes its bridge with it.
     */
    private final List<WeakReference<Function<Map<String, Object>, DoubleConsumer>>> bridges = new CopyOnWriteArrayList<>();
    /** Class loaders whose Metrics was seen; guards {@link #pending} too. */
    private final Set<ClassLoader> seen = Collections.newSetFromMap(new WeakHashMap<>());
    /** Seen, not connected yet: held weakly, so an application undeployed before its first request goes for good. */
    private final Set<ClassLoader> pending = Collections.newSetFromMap(new WeakHashMap<>());
    /** Whether {@link #pending} may hold a loader: the one volatile read of a safe point that has nothing to do. */
    private volatile boolean anyPending;
    private volatile boolean failureLogged;

    /**
     * @param forwarding   the registry whose meters forward to the twins
     * @param agentRegistry the agent's registry that keeps the counts (to seed counters)
     */
    MicrometerBridge(ForwardingRegistry forwarding, MeterRegistry agentRegistry) {
        this.forwarding = forwarding;
        this.agentRegistry = agentRegistry;
    }

    void install(Instrumentation inst) {
        listen();
        inst.addTransformer(this, false);
        // attached late, or Micrometer loaded before the agent: bridge what is already there, on this thread (the
        // agent's own, and these classes are defined)
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getName().equals(METRICS_CLASS) && c.getClassLoader() != null && claim(c.getClassLoader())) {
                connect(c.getClassLoader());
            }
        }
    }

    /** Mirrors every meter added from now on into every bridge. */
    void listen() {
        forwarding.config().onMeterAdded(this::mirrorToAll);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (loader != null && classBeingRedefined == null && METRICS_INTERNAL.equals(className)) {
            found(loader);
        }
        return null;
    }

    private boolean claim(ClassLoader loader) {
        synchronized (seen) {
            return seen.add(loader);
        }
    }

    /** Notes {@code loader} for the next safe point: Metrics is still being defined on this thread. */
    private void found(ClassLoader loader) {
        synchronized (seen) {
            if (seen.add(loader)) {
                pending.add(loader);
                anyPending = true;
            }
        }
    }

    /**
     * Connects the class loaders whose Metrics was loaded since the last call. Called on application threads where
     * no class is being defined and no statement of the agent's is under way; one volatile read when there is none.
     * Never throws.
     */
    void connectPending() {
        if (!anyPending) {
            return;
        }
        List<ClassLoader> loaders;
        synchronized (seen) {
            loaders = new ArrayList<>(pending);
            pending.clear();
            anyPending = false;
        }
        for (ClassLoader loader : loaders) {
            if (loader != null) {
                connect(loader);
            }
        }
    }

    /** Defines the bridge in {@code loader}, beside its Micrometer, and mirrors every meter into it. */
    void connect(ClassLoader loader) {
        try {
            Class<?> metrics = Class.forName(METRICS_CLASS, true, loader);
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(metrics, MethodHandles.lookup());
            Class<?> bridgeClass = lookup.defineClass(bridgeBytes());
            @SuppressWarnings("unchecked")
            Function<Map<String, Object>, DoubleConsumer> bridge =
                    (Function<Map<String, Object>, DoubleConsumer>) bridgeClass.getConstructor().newInstance();
            bridges.add(new WeakReference<>(bridge));
            for (Meter m : forwarding.getMeters()) {
                mirror(bridge, m, true);
            }
        } catch (Throwable t) {
            logOnce("could not mirror the agent's meters into the application's Micrometer; they are still served by "
                    + "the agent's own endpoint (set querylens.micrometer.bridge=false to stop trying)", t);
        }
    }

    private void mirrorToAll(Meter meter) {
        for (WeakReference<Function<Map<String, Object>, DoubleConsumer>> ref : bridges) {
            Function<Map<String, Object>, DoubleConsumer> bridge = ref.get();
            if (bridge == null) {
                bridges.remove(ref);
            } else {
                mirror(bridge, meter, false);
            }
        }
    }

    /** Bridges whose application is still there. */
    int bridges() {
        int n = 0;
        for (WeakReference<Function<Map<String, Object>, DoubleConsumer>> ref : bridges) {
            if (ref.get() != null) {
                n++;
            }
        }
        return n;
    }

    private void mirror(Function<Map<String, Object>, DoubleConsumer> bridge, Meter meter, boolean seed) {
        if (!(meter instanceof ForwardingRegistry.Forwarding f)) {
            return;
        }
        try {
            DoubleConsumer sink = bridge.apply(describe(f));
            if (sink == null) {
                return;
            }
            if (seed && meter instanceof Counter) {
                Counter kept = agentRegistry.find(meter.getId().getName()).tags(meter.getId().getTags()).counter();
                if (kept != null && kept.count() > 0) {
                    sink.accept(kept.count());
                }
            }
            f.attach(sink);
        } catch (Throwable t) {
            logOnce("could not mirror " + meter.getId().getName() + " into the application's Micrometer", t);
        }
    }

    private void logOnce(String message, Throwable t) {
        if (!failureLogged) {
            failureLogged = true;
            AgentLog.line(message, t);
        }
    }

    static Map<String, Object> describe(ForwardingRegistry.Forwarding meter) {
        Map<String, Object> d = new HashMap<>();
        Meter.Id id = meter.getId();
        d.put("type", meter.type);
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
        d.put("slos", meter.slos == null ? null : meter.slos.clone());
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
