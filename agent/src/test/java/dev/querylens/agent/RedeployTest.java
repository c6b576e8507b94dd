package dev.querylens.agent;

import dev.querylens.agent.redeploy.AppDataSource;
import dev.querylens.core.QueryLens;
import dev.querylens.core.UnitOfWork;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redeploys on an application server: each web application has a class loader of its own, with its own Micrometer
 * and its own DataSource class. The agent must keep none of them alive once the application is undeployed (the
 * DataSource it remembered for EXPLAIN sampling, the Micrometer bridge it defined there, the sinks it forwards to,
 * the EXPLAIN threads the applications' requests started), and must still sample a pool made after hundreds of
 * redeploys. Real class loaders, the agent's real dispatcher, bridge and forwarding registry, real JDBC on H2.
 */
class RedeployTest {

    private static final int UNDEPLOYED = 200;
    private static final String[] MICROMETER = {"io.micrometer.core.instrument.Metrics",
            "io.micrometer.common.KeyValue", "io.micrometer.observation.Observation", "org.HdrHistogram.Histogram",
            "org.LatencyUtils.PauseDetector"};

    private JdbcDataSource database;
    private Connection keepDatabase;
    private ForwardingRegistry forwarding;
    private MicrometerBridge bridge;
    private QueryLens lens;
    private AgentDispatcher dispatcher;
    private URL[] applicationClassPath;

    @BeforeEach
    void setUp() throws Exception {
        database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:redeploy" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        keepDatabase = database.getConnection();
        try (Statement s = keepDatabase.createStatement()) {
            s.execute("create table item (id int primary key, name varchar(20))");
            s.execute("insert into item select x, 'item ' || x from system_range(1, 100)");
        }
        SimpleMeterRegistry kept = new SimpleMeterRegistry();
        forwarding = new ForwardingRegistry(kept);
        bridge = new MicrometerBridge(forwarding, kept);
        bridge.listen();
        MeterRegistry meters = forwarding;
        // every execution sampled, so that each application's pool is asked for EXPLAIN connections
        lens = QueryLens.builder().meterRegistry(meters).config(Map.of("querylens.explain.interval", "0",
                "querylens.explain.max-per-minute", "10000")).build();
        dispatcher = new AgentDispatcher(lens, bridge);

        Set<URL> path = new LinkedHashSet<>();
        for (String name : MICROMETER) {
            try {
                path.add(Class.forName(name).getProtectionDomain().getCodeSource().getLocation());
            } catch (ClassNotFoundException optional) {
                // a library this Micrometer version does without
            }
        }
        path.add(AppDataSource.class.getProtectionDomain().getCodeSource().getLocation());
        applicationClassPath = path.toArray(URL[]::new);
    }

    @AfterEach
    void tearDown() throws Exception {
        lens.close();
        keepDatabase.close();
    }

    /** One deployed web application: its class loader, its Micrometer, its pool. */
    private final class Application implements AutoCloseable {
        final URLClassLoader loader;
        final DataSource pool;
        final Object ownRegistry;
        final AtomicInteger explainBorrows = new AtomicInteger();

        Application(int n) throws Exception {
            loader = new URLClassLoader("webapp-" + n, applicationClassPath, ClassLoader.getPlatformClassLoader());
            // the application's own Micrometer with a registry in its global registry, as Spring Boot sets it up
            Class<?> metrics = Class.forName(Metrics.class.getName(), true, loader);
            Class<?> registryType = Class.forName(MeterRegistry.class.getName(), false, loader);
            ownRegistry = Class.forName(SimpleMeterRegistry.class.getName(), true, loader).getConstructor().newInstance();
            metrics.getMethod("addRegistry", registryType).invoke(null, ownRegistry);
            // what the JVM tells the bridge's transformer as it defines Metrics; the bridge connects at the next safe
            // point, the first request's getConnection
            bridge.transform(loader, metrics.getName().replace('.', '/'), null, null, new byte[0]);
            pool = (DataSource) loader.loadClass(AppDataSource.class.getName())
                    .getConstructor(DataSource.class, Runnable.class)
                    .newInstance(database, (Runnable) explainBorrows::incrementAndGet);
        }

        /** A request: its pool's connection as the agent's advice hands it out, one SELECT. */
        void request(String endpoint) throws Exception {
            // a server runs the application's requests with its class loader as the context class loader; the
            // EXPLAIN worker a request's sample starts must not keep it
            Thread current = Thread.currentThread();
            ClassLoader server = current.getContextClassLoader();
            current.setContextClassLoader(loader);
            try (UnitOfWork work = lens.begin(endpoint);
                 Connection c = (Connection) dispatcher.connection(pool, pool.getConnection());
                 PreparedStatement ps = c.prepareStatement("select name from item where id = ?")) {
                ps.setInt(1, 7);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                }
            } finally {
                current.setContextClassLoader(server);
            }
        }

        /** Querylens meters the application's own registry holds, mirrored by the bridge. */
        int mirroredMeters() throws Exception {
            List<?> all = (List<?>) ownRegistry.getClass().getMethod("getMeters").invoke(ownRegistry);
            int n = 0;
            for (Object meter : all) {
                Object id = meter.getClass().getMethod("getId").invoke(meter);
                if (((String) id.getClass().getMethod("getName").invoke(id)).startsWith("querylens.")) {
                    n++;
                }
            }
            return n;
        }

        @Override
        public void close() throws Exception {
            loader.close();
        }
    }

    @Test
    void twoHundredUndeployedApplicationsAreCollectedAndTheNextPoolIsStillSampled() throws Exception {
        List<WeakReference<ClassLoader>> undeployed = new ArrayList<>();
        for (int n = 0; n < UNDEPLOYED; n++) {
            undeployed.add(deployServeAndUndeploy(n));
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (alive(undeployed) > 0 && System.nanoTime() < deadline) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(50); // between collections, bounded by the deadline
        }
        assertEquals(0, alive(undeployed), "class loaders of undeployed applications still reachable");
        assertEquals(0, bridge.bridges(), "bridges of undeployed applications");

        try (Application next = new Application(UNDEPLOYED)) {
            next.request("GET /next");
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (next.explainBorrows.get() == 0 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20); // the sampler works in the background; bounded by the deadline
            }
            assertTrue(next.explainBorrows.get() > 0, "the pool made after " + UNDEPLOYED + " redeploys is sampled");
            assertTrue(next.mirroredMeters() > 0, "the new application's Micrometer gets the agent's meters");
            assertEquals(1, bridge.bridges());
            List<Thread> explain = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("querylens-explain")).toList();
            assertFalse(explain.isEmpty(), "the sample's worker is still there (it ends seconds after its last sample)");
            for (Thread t : explain) {
                assertNotSame(next.loader, t.getContextClassLoader(), t.getName() + " keeps the application's class loader");
            }
        }
    }

    private WeakReference<ClassLoader> deployServeAndUndeploy(int n) throws Exception {
        try (Application app = new Application(n)) {
            app.request("GET /orders");
            if (n == 0) {
                assertTrue(app.mirroredMeters() > 0, "the bridge mirrors into the application's Micrometer");
            }
            return new WeakReference<>(app.loader);
        }
    }

    private static int alive(List<WeakReference<ClassLoader>> loaders) {
        int n = 0;
        for (WeakReference<ClassLoader> ref : loaders) {
            if (ref.get() != null) {
                n++;
            }
        }
        return n;
    }
}
