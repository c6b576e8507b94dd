package dev.querylens.agent;

import dev.querylens.core.QueryLensConfig;
import dev.querylens.core.Setting;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The agent's configuration, read once at startup from, lowest precedence first: environment variables
 * ({@code QUERYLENS_NPLUSONE_THRESHOLD}), system properties ({@code -Dquerylens.nplusone.threshold=3}) and the agent
 * argument ({@code -javaagent:querylens-agent.jar=nplusone.threshold=3}). Lenient: a bad value is reported and
 * replaced by its default, so configuration can never stop the application.
 */
public final class AgentConfig {

    public static final Setting<Integer> PROMETHEUS_PORT = Setting.integer("querylens.prometheus.port", 9466, 0, 65535,
            "Port of the agent's HTTP endpoint (/metrics, /querylens/findings); 0 turns the endpoint off.");
    public static final Setting<String> PROMETHEUS_HOST = Setting.host("querylens.prometheus.host", "127.0.0.1",
            "Address the agent's HTTP endpoint listens on; 0.0.0.0 for every interface.");
    public static final Setting<Boolean> MICROMETER_BRIDGE = Setting.bool("querylens.micrometer.bridge", true,
            "Mirrors the agent's meters into the application's own Micrometer global registry, when it has one.");

    /** The agent's own keys, on top of core's {@link QueryLensConfig#SETTINGS}. */
    public static final List<Setting<?>> AGENT_SETTINGS = List.of(PROMETHEUS_PORT, PROMETHEUS_HOST, MICROMETER_BRIDGE);

    /** Where a value came from, for messages. */
    public enum Source {
        DEFAULT("default"), ENVIRONMENT("environment variable"), SYSTEM_PROPERTY("system property"),
        AGENT_ARGUMENT("agent argument");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final QueryLensConfig core;
    private final int port;
    private final String host;
    private final boolean micrometerBridge;
    private final Map<String, Source> sources;

    private AgentConfig(QueryLensConfig core, int port, String host, boolean micrometerBridge, Map<String, Source> sources) {
        this.core = core;
        this.port = port;
        this.host = host;
        this.micrometerBridge = micrometerBridge;
        this.sources = sources;
    }

    /** Core's settings (with the agent's own keys removed). */
    public QueryLensConfig core() {
        return core;
    }

    public boolean enabled() {
        return core.enabled();
    }

    public int port() {
        return port;
    }

    public String host() {
        return host;
    }

    public boolean micrometerBridge() {
        return micrometerBridge;
    }

    /** Where each given key's value came from. */
    public Map<String, Source> sources() {
        return sources;
    }

    /**
     * Reads the configuration. Each problem (unknown key, bad value) is handed to {@code problems} as one sentence
     * that names the key, the value, its source and what is accepted.
     */
    public static AgentConfig load(String agentArgs, Properties systemProperties, Map<String, String> environment,
                                   Consumer<String> problems) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Source> sources = new LinkedHashMap<>();
        fromEnvironment(environment, values, sources);
        fromSystemProperties(systemProperties, values, sources);
        fromAgentArguments(agentArgs, values, sources, problems);

        Map<String, String> coreValues = new LinkedHashMap<>(values);
        for (Setting<?> s : AGENT_SETTINGS) {
            coreValues.remove(s.key());
        }
        String agentKeys = String.join(", ", AGENT_SETTINGS.stream().map(Setting::key).toList());
        QueryLensConfig core = QueryLensConfig.lenient(coreValues, p -> problems.accept(p.startsWith("unknown key")
                ? withSource(p, sources) + "; the agent's own keys: " + agentKeys + "; it is ignored"
                : withSource(p, sources) + "; the default is used"));

        int port = own(PROMETHEUS_PORT, values, sources, problems);
        String host = own(PROMETHEUS_HOST, values, sources, problems);
        boolean bridge = own(MICROMETER_BRIDGE, values, sources, problems);
        return new AgentConfig(core, port, host, bridge, Collections.unmodifiableMap(sources));
    }

    /** One of the agent's own keys: its accepted value, else its default with one line in {@code problems}. */
    private static <T> T own(Setting<T> setting, Map<String, String> values, Map<String, Source> sources,
                             Consumer<String> problems) {
        String text = values.get(setting.key());
        if (text == null) {
            return setting.defaultValue();
        }
        T value = setting.read(text);
        if (value == null) {
            problems.accept(setting.rejection(text.trim()) + " (from " + sources.getOrDefault(setting.key(), Source.DEFAULT)
                    + "); the default is used");
            return setting.defaultValue();
        }
        return value;
    }

    /** Every key the agent knows: core's and its own. */
    public static List<Setting<?>> allSettings() {
        List<Setting<?>> all = new ArrayList<>(QueryLensConfig.SETTINGS);
        all.addAll(AGENT_SETTINGS);
        return all;
    }

    /**
     * The environment variable of a key: upper case, with every {@code .} and {@code -} turned into {@code _}
     * ({@code querylens.unit.max-fingerprints} is {@code QUERYLENS_UNIT_MAX_FINGERPRINTS}).
     */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static void fromEnvironment(Map<String, String> environment, Map<String, String> values,
                                        Map<String, Source> sources) {
        // only known names: the environment is shared with other tools (and QUERYLENS_TEST_* of the test suite)
        for (Setting<?> s : allSettings()) {
            String v = environment.get(environmentName(s.key()));
            if (v != null) {
                values.put(s.key(), v);
                sources.put(s.key(), Source.ENVIRONMENT);
            }
        }
    }

    private static void fromSystemProperties(Properties properties, Map<String, String> values,
                                             Map<String, Source> sources) {
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith("querylens.")) {
                values.put(name, properties.getProperty(name));
                sources.put(name, Source.SYSTEM_PROPERTY);
            }
        }
    }

    /**
     * {@code key=value} pairs separated by commas; {@code querylens.} may be left out of a key. A part without
     * {@code =} continues the previous value, so list values keep their commas:
     * {@code callsite.exclude-packages=com.acme.db,com.acme.jdbc,nplusone.threshold=3}.
     */
    static void fromAgentArguments(String args, Map<String, String> values, Map<String, Source> sources,
                                   Consumer<String> problems) {
        if (args == null || args.isBlank()) {
            return;
        }
        String lastKey = null;
        for (String part : args.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                if (lastKey != null) {
                    values.put(lastKey, values.get(lastKey) + "," + part);
                } else if (!part.isBlank()) {
                    problems.accept("agent argument '" + part.trim() + "' is not key=value (for example "
                            + "-javaagent:querylens-agent.jar=nplusone.threshold=3,prometheus.port=9470); it is ignored");
                }
                continue;
            }
            String key = part.substring(0, eq).trim();
            if (!key.startsWith("querylens.")) {
                key = "querylens." + key;
            }
            values.put(key, part.substring(eq + 1).trim());
            sources.put(key, Source.AGENT_ARGUMENT);
            lastKey = key;
        }
    }

    /** Adds where a value came from to one of core's problem sentences, which start with the key. */
    private static String withSource(String problem, Map<String, Source> sources) {
        for (Map.Entry<String, Source> e : sources.entrySet()) {
            if (problem.startsWith(e.getKey() + "=") || problem.contains("'" + e.getKey() + "'")) {
                return problem + " (from " + e.getValue() + ")";
            }
        }
        return problem;
    }
}
