package dev.querylens.spring;

import com.example.shop.OrderQueries;
import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.QueryLens;
import dev.querylens.core.QueryLensMeters;
import dev.querylens.core.UnitOfWork;
import dev.querylens.core.testing.OrdersTable;
import dev.querylens.core.testing.TestDatabases;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A routing DataSource picks its target by the calling thread (a tenant here): the EXPLAIN sampler, on a thread of
 * its own, would get the default target and explain one tenant's SQL on another's database. It never borrows
 * from one.
 */
class RoutingDataSourceSamplingTest {

    static final class TenantRouter extends AbstractRoutingDataSource {
        static final ThreadLocal<String> TENANT = new ThreadLocal<>();
        final List<String> lookupThreads = new CopyOnWriteArrayList<>();

        @Override
        protected Object determineCurrentLookupKey() {
            lookupThreads.add(Thread.currentThread().getName());
            return TENANT.get();
        }
    }

    @Test
    void aRoutingDataSourceIsNeverBorrowedFromOnAQuerylensThread() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (HikariDataSource defaultTenant = TestDatabases.h2(); HikariDataSource acme = TestDatabases.h2();
             QueryLens lens = QueryLens.builder().meterRegistry(registry).build()) {
            try (Connection c = acme.getConnection(); Statement s = c.createStatement()) {
                OrdersTable.create(s, "orders", 20_000);
                OrdersTable.analyze(s, "orders");
            }
            TenantRouter router = new TenantRouter();
            router.setTargetDataSources(Map.of("acme", acme));
            router.setDefaultTargetDataSource(defaultTenant);
            router.afterPropertiesSet();
            DataSource app = lens.wrap(router, "tenants");
            TenantRouter.TENANT.set("acme");
            try (UnitOfWork work = lens.begin("GET /orders/new"); Connection c = app.getConnection()) {
                assertThat(OrderQueries.countRows(c, "SELECT id FROM orders WHERE status = ?", "NEW")).isEqualTo(200);
            } finally {
                TenantRouter.TENANT.remove();
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (explained(registry) < 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(explained(registry)).isEqualTo(1.0);
            assertThat(registry.get(QueryLensMeters.EXPLAIN).tag("outcome", "skipped").counter().count()).isEqualTo(1.0);
            assertThat(router.lookupThreads).allMatch(name -> !name.startsWith("querylens"));
        }
    }

    private static double explained(SimpleMeterRegistry registry) {
        return registry.find(QueryLensMeters.EXPLAIN).counters().stream().mapToDouble(Counter::count).sum();
    }
}
