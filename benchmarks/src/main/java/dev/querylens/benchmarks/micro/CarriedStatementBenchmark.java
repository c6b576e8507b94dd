package dev.querylens.benchmarks.micro;

import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.CarriedUnit;
import dev.querylens.core.QueryLens;
import dev.querylens.core.UnitOfWork;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One statement run on a thread a unit of work handed its work to, beside the same statement on the unit's own
 * thread ({@code own}, what {@link StatementBenchmark}'s {@code querylens} measures) and with no Querylens
 * ({@code raw}). On another thread each statement is recorded into that thread's part of the unit between a
 * volatile write and a release write (the handshake with the unit's end): this measures what that costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
public class CarriedStatementBenchmark {

    static final String OWN = "own";
    static final String CARRIED = "carried";

    @Param({Variants.RAW, OWN, CARRIED})
    public String variant;

    private HikariDataSource pool;
    private QueryLens lens;
    private Connection connection;
    private long nextId;

    private UnitOfWork ownUnit;
    private CarriedUnit.Scope attached;
    private CountDownLatch endUnit;
    private CompletableFuture<Void> opener;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        pool = Db.open();
        if (variant.equals(Variants.RAW)) {
            connection = pool.getConnection();
        } else {
            lens = QueryLens.builder().meterRegistry(new SimpleMeterRegistry()).build();
            connection = lens.wrap(pool, "bench").getConnection();
        }
    }

    /** A unit per iteration: opened on this thread, or on another one that hands it to this one. */
    @Setup(Level.Iteration)
    public void beginUnit() throws Exception {
        if (variant.equals(OWN)) {
            ownUnit = lens.begin("GET /customers/{id}");
        } else if (variant.equals(CARRIED)) {
            CompletableFuture<CarriedUnit> handed = new CompletableFuture<>();
            CountDownLatch end = new CountDownLatch(1);
            endUnit = end;
            opener = CompletableFuture.runAsync(() -> {
                try (UnitOfWork unit = lens.begin("GET /customers/{id}")) {
                    handed.complete(lens.carry());
                    end.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, runnable -> new Thread(runnable, "unit-owner").start());
            attached = lens.attach(handed.get(10, TimeUnit.SECONDS));
        }
    }

    @TearDown(Level.Iteration)
    public void endUnit() throws Exception {
        if (ownUnit != null) {
            ownUnit.close();
            ownUnit = null;
        }
        if (attached != null) {
            attached.close();
            attached = null;
            endUnit.countDown();
            opener.get(10, TimeUnit.SECONDS);
        }
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
}
