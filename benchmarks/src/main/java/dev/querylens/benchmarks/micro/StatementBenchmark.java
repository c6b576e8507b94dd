package dev.querylens.benchmarks.micro;

import com.zaxxer.hikari.HikariDataSource;
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
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * One JDBC statement, the way an ORM runs it: prepare, bind, execute, read, close. The connection is held for the
 * whole run (as inside a transaction), so the figure is the statement's own cost, not the pool checkout's. Every
 * variant wraps the same HikariCP pool over H2 in memory; {@code raw} is the baseline.
 *
 * <p>For {@code querylens} a unit of work is open around every iteration, as a request would be: the statement
 * goes through the full pipeline (fingerprint, per-unit tallies, N+1 and duplicate rules). Closing the unit
 * (meters, findings) happens between iterations and is measured by {@link UnitOfWorkBenchmark}.
 *
 * <p>Iterations are 1 s (JMH's default is 10 s) so that the default 5 forks of every variant fit in minutes; the
 * 10 warmup iterations are needed for C2 to finish with H2 and the proxies on a loaded 2-core machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
public class StatementBenchmark {

    @Param({Variants.RAW, Variants.DATASOURCE_PROXY, Variants.QUERYLENS, Variants.P6SPY})
    public String variant;

    private HikariDataSource pool;
    private Variants.Wrapped wrapped;
    private Connection connection;
    private UnitOfWork unit;
    private long nextId;

    /** Rows the INSERT benchmark lets the table reach before emptying it (a power of two). */
    static final int ROWS_KEPT = 4096;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        pool = Db.open();
        wrapped = Variants.wrap(variant, pool);
        connection = wrapped.dataSource().getConnection();
    }

    @Setup(Level.Iteration)
    public void beginUnit() {
        if (wrapped.lens() != null) {
            unit = wrapped.lens().begin("GET /customers/{id}");
        }
    }

    @TearDown(Level.Iteration)
    public void endUnit() throws SQLException {
        if (unit != null) {
            unit.close();
            unit = null;
        }
        Db.truncateInserts(pool);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        connection.close();
        pool.close();
    }

    /** A prepared primary-key SELECT of one row, a different key each time. */
    @Benchmark
    public long select() throws SQLException {
        return Db.selectCustomer(connection, nextId++ & (Db.CUSTOMERS - 1));
    }

    /**
     * A prepared single-row INSERT (auto-commit), different values each time. Every {@value #ROWS_KEPT}th operation
     * first empties the table through the raw pool, the same for every variant: a 1 s iteration inserts some 300,000
     * rows, and a table left to grow that large made single iterations of every variant, {@code raw} included, up to
     * five times slower than the others, a spread that hid the differences between variants.
     */
    @Benchmark
    public int insert() throws SQLException {
        long n = nextId++;
        if ((n & (ROWS_KEPT - 1)) == 0) {
            Db.truncateInserts(pool);
        }
        long id = n & (Db.CUSTOMERS - 1);
        try (PreparedStatement ps = connection.prepareStatement(Db.INSERT)) {
            ps.setLong(1, id);
            ps.setString(2, "login");
            ps.setString(3, "from benchmark");
            return ps.executeUpdate();
        }
    }
}
