package dev.querylens.core.explain;

import com.example.shop.OrderQueries;
import dev.querylens.core.testing.DelegatingDataSource;
import dev.querylens.core.testing.OrdersTable;
import dev.querylens.core.testing.Sampling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A statement the sampler will not explain whatever the session (a sequence call, a {@code ;} inside its text, a
 * function outside the allow-list) never takes a connection from the application's pool: the text alone decides,
 * before the borrow, also for a DataSource whose database the sampler has not met yet.
 */
class SkipBeforeBorrowTest {

    private Sampling sampling;

    @AfterEach
    void close() {
        if (sampling != null) {
            sampling.close();
        }
    }

    /** An H2 database that counts the connections the sampler's threads ask it for. */
    static final class CountingBorrows extends DelegatingDataSource {
        final AtomicInteger samplerBorrows = new AtomicInteger();

        CountingBorrows(String url) {
            super(UnrecognisedPoolTest.Stuck.h2(url));
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (Thread.currentThread().getName().startsWith("querylens-explain")) {
                samplerBorrows.incrementAndGet();
            }
            return super.getConnection();
        }
    }

    @Test
    void statementsRefusedOnTheirTextAloneNeverBorrow() throws Exception {
        String url = "jdbc:h2:mem:qls_skip_borrow;DB_CLOSE_DELAY=-1";
        CountingBorrows pool = new CountingBorrows(url);
        sampling = new Sampling(Map.of());
        try (Connection raw = UnrecognisedPoolTest.Stuck.h2(url).getConnection()) {
            try (Statement s = raw.createStatement()) {
                OrdersTable.create(s, "orders", 100);
                s.execute("CREATE SEQUENCE order_numbers");
            }
            Connection app = sampling.lens.wrapConnection(raw, "main", pool);

            // the database is not known yet: refused on every database the sampler knows
            assertEquals(1, OrderQueries.countRows(app, "SELECT NEXT VALUE FOR order_numbers"));
            assertEquals(0, OrderQueries.countRows(app, "SELECT id FROM orders WHERE status = 'NEW;OLD'"));
            sampling.await("2 skipped samples", () -> sampling.outcome("skipped") >= 2);
            assertEquals(0, pool.samplerBorrows.get(), "a statement skipped on its text took a connection");

            // an explainable statement borrows, and the database is known from then on
            assertEquals(1, OrderQueries.countRows(app, "SELECT id FROM orders WHERE customer_id = ? AND total > ?", 7, 0));
            sampling.await("the explained sample", () -> sampling.outcome("ok") + sampling.outcome("seqscan") >= 1);
            assertEquals(1, pool.samplerBorrows.get());

            OrderQueries.countRows(app, "SELECT id FROM orders WHERE id = NEXT VALUE FOR order_numbers");
            assertEquals(1, OrderQueries.countRows(app, "SELECT id FROM orders WHERE id = ? /* ; */", 2));
            sampling.await("4 skipped samples", () -> sampling.outcome("skipped") >= 4);
            assertEquals(1, pool.samplerBorrows.get(), "a statement skipped on its text took a connection");
        }
    }

    @Test
    void aRefusalThatCameFromOneExecutionsLiteralsLeavesTheStatementSampled() throws Exception {
        String url = "jdbc:h2:mem:qls_skip_literal;DB_CLOSE_DELAY=-1";
        CountingBorrows pool = new CountingBorrows(url);
        // the statement is due again at its next execution: a refusal marked on the statement would stop that
        sampling = new Sampling(Map.of("querylens.explain.interval", "0s"));
        try (Connection raw = UnrecognisedPoolTest.Stuck.h2(url).getConnection()) {
            try (Statement s = raw.createStatement()) {
                OrdersTable.create(s, "orders", 100);
            }
            Connection app = sampling.lens.wrapConnection(raw, "main", pool);

            // a ';' inside a literal: this text is never explained, but the statement is the same as the bound one
            assertEquals(0, OrderQueries.countRows(app, "SELECT id FROM orders WHERE status = 'NEW;OLD'"));
            sampling.await("the skipped sample", () -> sampling.outcome("skipped") >= 1);
            assertEquals(0, pool.samplerBorrows.get());

            OrderQueries.countRows(app, "SELECT id FROM orders WHERE status = ?", "NEW");
            sampling.await("the bound statement explained", () -> sampling.outcome("ok") + sampling.outcome("seqscan") >= 1);
            assertEquals(1, pool.samplerBorrows.get());
        }
    }
}
