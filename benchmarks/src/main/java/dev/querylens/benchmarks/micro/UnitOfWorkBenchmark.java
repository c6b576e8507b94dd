package dev.querylens.benchmarks.micro;

import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.QueryLens;
import dev.querylens.core.UnitOfWork;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * A whole request: begin a unit of work, run its statements, end it (meters recorded, findings published). The
 * {@code raw} variant runs the same statements with no Querylens; the difference is what one request costs,
 * fixed per-unit work included.
 *
 * <ul>
 *   <li>{@link #request}: four different statements (two PK lookups, a count, an insert), no finding;</li>
 *   <li>{@link #nPlusOneRequest}: a list query and then one PK SELECT per row for 10 rows, so every unit makes an
 *       N+1 finding (finding stored, WARN line rate-limited; the call site is captured by the first unit only, while the store holds
 *       the finding).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
public class UnitOfWorkBenchmark {

    private static final String BY_EMAIL = "select c1_0.id,c1_0.email,c1_0.name from customer c1_0 where c1_0.email=?";
    private static final String COUNT_EVENTS = "select count(*) from audit_event a1_0 where a1_0.customer_id=?";
    private static final String LIST_IDS = "select c1_0.id from customer c1_0 where c1_0.id between ? and ?";
    private static final int LOOP_ROWS = 10;

    @Param({Variants.RAW, Variants.QUERYLENS})
    public String variant;

    private HikariDataSource pool;
    private QueryLens lens;
    private Connection connection;
    private String[] emails;
    private long nextId;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        pool = Db.open();
        Variants.Wrapped wrapped = Variants.wrap(variant, pool);
        lens = wrapped.lens();
        connection = wrapped.dataSource().getConnection();
        emails = new String[Db.CUSTOMERS];
        for (int i = 0; i < emails.length; i++) {
            emails[i] = "customer" + i + "@example.com";
        }
    }

    @TearDown(Level.Iteration)
    public void truncate() throws SQLException {
        Db.truncateInserts(pool);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        connection.close();
        pool.close();
    }

    @Benchmark
    public long request() throws SQLException {
        long id = nextId++ & (Db.CUSTOMERS - 1);
        UnitOfWork unit = lens == null ? null : lens.begin("GET /customers/{id}");
        try {
            long sum = selectOne(Db.SELECT, id);
            try (PreparedStatement ps = connection.prepareStatement(BY_EMAIL)) {
                ps.setString(1, emails[(int) id]);
                try (ResultSet rs = ps.executeQuery()) {
                    sum += rs.next() ? rs.getLong(1) : 0;
                }
            }
            sum += selectOne(COUNT_EVENTS, id);
            try (PreparedStatement ps = connection.prepareStatement(Db.INSERT)) {
                ps.setLong(1, id);
                ps.setString(2, "view");
                ps.setString(3, "from benchmark");
                sum += ps.executeUpdate();
            }
            return sum;
        } finally {
            if (unit != null) {
                unit.close();
            }
        }
    }

    @Benchmark
    public long nPlusOneRequest() throws SQLException {
        long first = (nextId++ % (Db.CUSTOMERS / LOOP_ROWS)) * LOOP_ROWS;
        long last = first + LOOP_ROWS - 1;
        UnitOfWork unit = lens == null ? null : lens.begin("GET /customers");
        try {
            long sum = 0;
            long[] ids = new long[LOOP_ROWS];
            int n = 0;
            try (PreparedStatement ps = connection.prepareStatement(LIST_IDS)) {
                ps.setLong(1, first);
                ps.setLong(2, last);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids[n++] = rs.getLong(1);
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                sum += selectOne(Db.SELECT, ids[i]);
            }
            return sum;
        } finally {
            if (unit != null) {
                unit.close();
            }
        }
    }

    private long selectOne(String sql, long key) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
