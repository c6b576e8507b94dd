package dev.querylens.core.explain;

import com.example.shop.OrderQueries;
import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.FindingSummary;
import dev.querylens.core.UnitOfWork;
import dev.querylens.core.testing.OrdersTable;
import dev.querylens.core.testing.Sampling;
import dev.querylens.core.testing.TestDatabases;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sampler's background thread survives anything thrown while it samples, and a sample keeps only bind values
 * it can copy: never the application's streams, byte arrays or LOBs.
 */
class SamplerWorkerTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Sampling sampling;

    @AfterEach
    void closeLens() {
        if (sampling != null) {
            sampling.close();
        }
    }

    /**
     * Outcome counters that throw an {@link Error} the first two times: when the first sample is counted, and when
     * the sampler counts that failure or the next sample. The second sample must still run.
     */
    @Test
    void anErrorInsideASampleDoesNotStopTheNextOne() throws SQLException {
        AtomicInteger failuresLeft = new AtomicInteger(2);
        SimpleMeterRegistry throwing = new SimpleMeterRegistry() {
            @Override
            protected Counter newCounter(Meter.Id id) {
                Counter real = super.newCounter(id);
                if (!id.getName().equals("querylens.explain")) {
                    return real;
                }
                return new Counter() {
                    @Override
                    public void increment(double amount) {
                        if (failuresLeft.getAndDecrement() > 0) {
                            throw new OutOfMemoryError("injected");
                        }
                        real.increment(amount);
                    }

                    @Override
                    public double count() {
                        return real.count();
                    }

                    @Override
                    public Id getId() {
                        return real.getId();
                    }
                };
            }
        };
        try (HikariDataSource pool = TestDatabases.pool(h2Url(), 2)) {
            createOrders(pool);
            sampling = new Sampling(throwing, Map.of());
            DataSource app = sampling.lens.wrap(pool, "main");
            run(app, "SELECT id FROM orders WHERE status = ?", "NEW");
            sampling.await("the first sample to fail", () -> failuresLeft.get() < 2);
            run(app, "SELECT id FROM orders WHERE customer_id = ? AND status = ?", 7, "NEW");
            sampling.await("the second sample's finding", () -> scans().size() == 2);
        }
    }

    /**
     * Statements bound with a byte array, a character stream or a string past the copy bound are not sampled at all; the
     * application's stream is read once, by the application.
     */
    @Test
    void statementsWithBindsThatCannotBeCopiedAreNotSampled() throws SQLException {
        try (HikariDataSource pool = TestDatabases.pool(h2Url(), 2)) {
            createOrders(pool);
            sampling = new Sampling(Map.of());
            DataSource app = sampling.lens.wrap(pool, "main");
            byte[] bytes = "NEW".getBytes(StandardCharsets.UTF_8);
            CountingReader stream = new CountingReader("NEW");
            try (UnitOfWork work = sampling.lens.begin("GET /binds"); Connection c = app.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM orders WHERE status = CAST(? AS VARCHAR(20)) AND total > ?")) {
                    ps.setBytes(1, bytes);
                    ps.setBigDecimal(2, BigDecimal.ONE);
                    drain(ps);
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM orders WHERE status = CAST(? AS VARCHAR(20)) AND id > ?")) {
                    ps.setCharacterStream(1, stream, 3);
                    ps.setLong(2, 0);
                    drain(ps);
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM orders WHERE status <> ? AND id < ?")) {
                    ps.setString(1, "x".repeat(5_000));
                    ps.setInt(2, 10);
                    drain(ps);
                }
            }
            int readByApplication = stream.reads.get();
            // a statement with simple binds only, sampled after the three above: when it is done, they are too
            run(app, "SELECT id FROM orders WHERE status = ? AND customer_id > ?", "NEW", 7L);
            sampling.await("the last statement's sample", () -> sampling.outcome("seqscan") >= 1);
            assertEquals(List.of("select id from orders where status = ? and customer_id > ?"),
                    scans().stream().map(FindingSummary::sql).toList(), () -> sampling.outcomes().toString());
            assertEquals(readByApplication, stream.reads.get(), "the stream was read again");
            assertEquals(Map.of("error", 0.0, "ok", 0.0, "seqscan", 1.0, "skipped", 3.0, "timeout", 0.0, "unsupported", 0.0),
                    sampling.outcomes(), "only the last statement was explained; the others were skipped");
        }
    }

    private List<FindingSummary> scans() {
        return sampling.lens.findings().findings().stream().filter(f -> f.kind().name().equals("SEQ_SCAN")).toList();
    }

    private void run(DataSource app, String sql, Object... binds) throws SQLException {
        try (UnitOfWork work = sampling.lens.begin("GET /orders"); Connection c = app.getConnection()) {
            OrderQueries.countRows(c, sql, binds);
        }
    }

    private static void drain(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rs.getLong(1);
            }
        }
    }

    private static String h2Url() {
        return "jdbc:h2:mem:qls_worker" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }

    private static void createOrders(DataSource ds) throws SQLException {
        OrdersTable.createAnalyzed(ds, "orders", 20_000);
    }

    /** Counts the reads that reach it, to tell whether anyone read it after the application. */
    static final class CountingReader extends StringReader {
        final AtomicInteger reads = new AtomicInteger();

        CountingReader(String text) {
            super(text);
        }

        @Override
        public int read() throws IOException {
            reads.incrementAndGet();
            return super.read();
        }

        @Override
        public int read(char[] b, int off, int len) throws IOException {
            reads.incrementAndGet();
            return super.read(b, off, len);
        }
    }
}
