package dev.querylens.core;

import dev.querylens.core.detect.FindingKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** A lens over real databases, and helpers to run statements as the frameworks write them and read the findings. */
abstract class RuleTestBase {
    protected SimpleMeterRegistry registry;
    protected QueryLens lens;

    protected void useLens(Map<String, String> config) {
        registry = new SimpleMeterRegistry();
        lens = QueryLens.builder().meterRegistry(registry).config(config).build();
    }

    interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    protected void run(DataSource ds, String endpoint, SqlWork work) throws SQLException {
        try (UnitOfWork unit = lens.begin(endpoint); Connection c = ds.getConnection()) {
            work.run(c);
        }
    }

    /** Runs {@code sql} with {@code binds} (set with setObject) and reads every row, from application code. */
    protected static int query(Connection c, String sql, Object... binds) throws SQLException {
        return com.example.shop.OrderQueries.countRows(c, sql, binds);
    }

    protected static int update(Connection c, String sql, Object... binds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < binds.length; i++) {
                ps.setObject(i + 1, binds[i]);
            }
            return ps.executeUpdate();
        }
    }

    protected List<FindingSummary> findings() {
        return lens.findings().findings();
    }

    protected List<FindingSummary> findings(FindingKind kind) {
        return findings().stream().filter(f -> f.kind() == kind).toList();
    }

    protected double statements(String endpoint, String operation) {
        Counter c = registry.find(QueryLensMeters.STATEMENTS).tag("endpoint", endpoint).tag("operation", operation).counter();
        return c == null ? 0 : c.count();
    }
}
