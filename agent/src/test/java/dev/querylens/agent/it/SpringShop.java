package dev.querylens.agent.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Spring Boot shop of agent-test-apps ({@link SpringAppIT#MAIN}) in a JVM of its own, for the contract: with the
 * agent attached, or with the starter on its class path. One request thread, so that state a failed request left
 * behind would show up in the next request.
 */
final class SpringShop implements UnitOfWorkContract.ContractApp {

    private final ChildJvm jvm;
    private final String base;
    private final String metricsUrl;

    private SpringShop(ChildJvm jvm, String base, String metricsUrl) {
        this.jvm = jvm;
        this.base = base;
        this.metricsUrl = metricsUrl;
    }

    /** With the agent: its meters are read from its own metrics endpoint. */
    static SpringShop withAgent() throws Exception {
        return withAgent("contract-agent", List.of());
    }

    /**
     * With the OpenTelemetry Java agent attached first and ours second, as staging JVMs often have it. That agent
     * instruments the same classes (HikariDataSource, DispatcherServlet, the JDK executors, CompletableFuture) and adds
     * interfaces to them that it generates at run time, with no class file; its exporters are off, so that nothing is
     * sent anywhere.
     */
    static SpringShop withAgentAfterOpenTelemetry() throws Exception {
        return withAgent("contract-agent-after-otel", List.of("-javaagent:" + ChildJvm.OTEL_JAR,
                "-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none"));
    }

    /** With {@code jvmArgsBefore} (another agent, say) ahead of the agent's own options. */
    private static SpringShop withAgent(String name, List<String> jvmArgsBefore) throws Exception {
        int metricsPort = ChildJvm.freePort();
        List<String> jvmArgs = new ArrayList<>(jvmArgsBefore);
        jvmArgs.addAll(List.of(ChildJvm.javaagent(null), "-Dquerylens.prometheus.port=" + metricsPort));
        return start(name, ChildJvm.appClassPath("spring-app.classpath"), jvmArgs,
                "http://127.0.0.1:" + metricsPort + "/metrics");
    }

    /** With the starter: its meters are in the application's own registry. */
    static SpringShop withStarter() throws Exception {
        return start("contract-starter", ChildJvm.appClassPath("spring-starter-app.classpath"), List.of(), null);
    }

    private static SpringShop start(String name, String classPath, List<String> jvmArgs, String metricsUrl) throws Exception {
        int port = ChildJvm.freePort();
        List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--server.address=127.0.0.1",
                "--server.tomcat.threads.max=1", "--server.tomcat.threads.min-spare=1"));
        ChildJvm jvm = ChildJvm.start(name, Jdk.DEFAULT, jvmArgs, classPath, SpringAppIT.MAIN, args);
        try {
            jvm.awaitOutput("ShopApplication READY", Duration.ofSeconds(120));
        } catch (Throwable t) {
            System.out.println(jvm.output());
            jvm.close();
            throw t;
        }
        String base = "http://127.0.0.1:" + port;
        return new SpringShop(jvm, base, metricsUrl != null ? metricsUrl : base + "/actuator/prometheus");
    }

    @Override
    public String baseUrl() {
        return base;
    }

    @Override
    public String scrape() throws Exception {
        return ChildJvm.get(metricsUrl);
    }

    @Override
    public String diagnostics() {
        try {
            return jvm.output();
        } catch (Exception e) {
            return "could not read " + jvm.log + ": " + e;
        }
    }

    @Override
    public void close() throws Exception {
        jvm.close();
    }
}
