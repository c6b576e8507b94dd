package dev.querylens.agent;

import dev.querylens.agent.hooks.Hooks;
import dev.querylens.agent.hooks.WorkHooks;
import dev.querylens.core.FindingsJson;
import dev.querylens.core.QueryLens;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/** What {@link QueryLensAgent} does: read the configuration, build the engine, instrument, serve. */
final class Installer {

    private static AgentConfig config;

    private Installer() {
    }

    /** Reads the configuration (once) and reports its problems; false when Querylens is turned off. */
    static boolean enabled(String args) {
        List<String> problems = new ArrayList<>();
        config = AgentConfig.load(args, System.getProperties(), System.getenv(), problems::add);
        for (String p : problems) {
            AgentLog.line("configuration: " + p);
        }
        if (!config.enabled()) {
            AgentLog.line("turned off by querylens.enabled=false (" + config.sources().get("querylens.enabled")
                    + "); nothing is instrumented");
            return false;
        }
        return true;
    }

    static void install(Instrumentation inst) {
        AgentConfig cfg = config;
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MeterRegistry meters = registry;
        ForwardingRegistry forwarding = null;
        MicrometerBridge bridge = null;
        if (cfg.micrometerBridge()) {
            try {
                forwarding = new ForwardingRegistry(registry);
                bridge = new MicrometerBridge(forwarding, registry);
                bridge.install(inst);
                meters = forwarding;
            } catch (Throwable t) {
                AgentLog.line("Micrometer bridge not installed; the agent's meters are served on its own endpoint only", t);
                bridge = null;
            }
        }
        // the endpoint's loop bounds the EXPLAIN sampler's borrows: no borrowing thread beside the worker
        SelectorWatchdog watchdog = cfg.port() == 0 ? null : new SelectorWatchdog();
        QueryLens lens = QueryLens.builder().meterRegistry(meters).config(cfg.core()).explainWatchdog(watchdog).build();
        if (forwarding != null) {
            forwarding.onSinkFailure(t -> lens.internalError("micrometer-bridge", t));
        }
        AgentDispatcher dispatcher = new AgentDispatcher(lens, bridge);
        new StarterWatcher(dispatcher).install(inst);
        Hooks.install(dispatcher);
        WorkHooks.install(new AgentWorkDispatcher(lens, dispatcher));
        AdviceTypes advice = new AdviceTypes();
        Instrumenter.install(inst, advice);
        try {
            WorkInstrumentation.install(inst, advice);
        } catch (Throwable t) {
            AgentLog.line("executors, scheduled jobs and message listeners not instrumented; their SQL counts under "
                    + "none", t);
        }
        String endpoint;
        if (cfg.port() == 0) {
            endpoint = "metrics endpoint off (querylens.prometheus.port=0)";
        } else {
            new MetricsServer(cfg.host(), cfg.port(), registry::scrape,
                    () -> FindingsJson.toJson(lens.findings().findings()), watchdog).startInBackground();
            endpoint = "metrics at http://" + cfg.host() + ":" + cfg.port() + "/metrics";
        }
        String version = QueryLensAgent.class.getPackage().getImplementationVersion();
        AgentLog.line("agent " + (version == null ? "" : version + " ") + "installed; " + endpoint);
    }
}
