package dev.querylens.core;

import dev.querylens.core.testing.NullDatabase;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory under any traffic: one million distinct SQL strings (short ones, one N+1 per unit of work, long and very
 * long ones) in ten thousand units of work with ten thousand distinct endpoint names. What Querylens retains
 * afterwards (heap in use after full collections, with the engine still alive) stays under 64 MB over what it held
 * before, and the endpoint tag has at most {@code querylens.endpoints.max} values plus {@code OTHER}.
 *
 * <p>EXPLAIN sampling runs at its highest rate so that every map it keeps fills up. The statements go through
 * Querylens's real wrappers to a {@link NullDatabase}: a real database's own work on a million distinct statements
 * would take minutes, and it is not what is measured.
 */
class RetainedMemoryTest {

    private static final int UNITS = 10_000;
    private static final int DISTINCT_PER_UNIT = 100;
    private static final long LIMIT = 64L * 1024 * 1024;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    @Test
    void aMillionDistinctStatementsAndTenThousandEndpointsRetainUnder64Megabytes() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        QueryLens lens = QueryLens.builder().meterRegistry(registry).config(Map.of(
                "querylens.explain.max-per-minute", "10000")).build();
        DataSource ds = lens.wrap(new NullDatabase(), "null");
        // the engine, its meters of one endpoint and the classes of the whole path, loaded before the baseline
        traffic(lens, ds, -1);
        long before = usedAfterCollection();

        long distinct = 0;
        for (int unit = 0; unit < UNITS; unit++) {
            distinct += traffic(lens, ds, unit);
        }
        long after = usedAfterCollection();
        long retained = after - before;
        System.out.printf("[retained-memory] %d distinct SQL strings, %d endpoint names: %.1f MB retained "
                        + "(%d bytes over a baseline of %d), %d findings kept, %d endpoint tag values%n",
                distinct, UNITS, retained / 1048576.0, retained, before, lens.findings().size(),
                endpointTags(registry).size());

        assertEquals((long) UNITS * DISTINCT_PER_UNIT, distinct);
        assertTrue(retained < LIMIT, "retained " + retained + " bytes over the baseline");
        Set<String> endpoints = endpointTags(registry);
        assertTrue(endpoints.size() <= 200 + 2, endpoints.size() + " endpoint tag values");
        assertTrue(endpoints.contains(QueryLensMeters.OTHER));
        assertTrue(lens.findings().size() <= 500);
        assertEquals(0.0, registry.get(QueryLensMeters.INTERNAL_ERRORS).counter().count());
        lens.close();
    }

    /** One unit of work of {@value #DISTINCT_PER_UNIT} distinct SQL strings; returns how many it ran. */
    private static int traffic(QueryLens lens, DataSource ds, int unit) throws SQLException {
        int distinct = 0;
        try (UnitOfWork work = lens.begin("GET /endpoint-" + unit);
             Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            // an N+1 of statements seen nowhere else, the loop's query first: a finding per unit; every tenth one
            // long, every hundredth longer than querylens.fingerprint.max-sql-length
            String padding = unit % 10 == 0 ? padding(unit, unit % 100 == 0 ? 70_000 : 20_000) : "";
            s.executeQuery("select c.id from customer_" + unit + " c where c.region = 'north'" + padding).close();
            String loop = "select o.id, o.total from orders_" + unit + " o where o.customer_id = ?" + padding;
            try (PreparedStatement ps = c.prepareStatement(loop)) {
                for (int row = 0; row < 6; row++) {
                    ps.setInt(1, row);
                    ps.executeQuery().close();
                }
            }
            distinct += 2;
            for (int i = 2; i < DISTINCT_PER_UNIT; i++) {
                switch (i % 3) {
                    case 0 -> s.executeQuery("select c" + i + " from t" + unit + " where id = " + i).close();
                    case 1 -> s.executeUpdate("update t" + i + " set v = 'value " + unit + "' where id = " + i);
                    default -> s.executeQuery("select name, email from customer_" + (unit * 100 + i)
                            + " where name like 'x%'").close();
                }
                distinct++;
            }
        }
        return distinct;
    }

    /** A long, distinct tail of predicates: what an ORM writes for a big entity graph. */
    private static String padding(int unit, int length) {
        StringBuilder sb = new StringBuilder(length + 64);
        for (int col = 0; sb.length() < length; col++) {
            sb.append(" and o.attribute_").append(unit).append('_').append(col).append(" is not null");
        }
        return sb.toString();
    }

    private static Set<String> endpointTags(SimpleMeterRegistry registry) {
        Set<String> tags = new HashSet<>();
        for (Meter m : registry.getMeters()) {
            String e = m.getId().getTag("endpoint");
            if (e != null) {
                tags.add(e);
            }
        }
        return tags;
    }

    /** Heap in use after full collections, the lowest of several readings. */
    private static long usedAfterCollection() throws InterruptedException {
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(100); // lets reference processing finish between collections
            lowest = Math.min(lowest, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return lowest;
    }
}
