package dev.querylens.core;

import dev.querylens.core.detect.FindingKind;

import com.example.shop.Customer;
import com.example.shop.OrderReport;
import com.example.shop.PurchaseOrder;
import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real Hibernate over HikariCP on H2, the real PostgreSQL and the real MariaDB. */
class HibernateNPlusOneTest {
    private static final int ORDERS = 20;

    private HikariDataSource pool;
    private SessionFactory sessions;

    @AfterEach
    void close() {
        if (sessions != null) {
            sessions.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    private static Supplier<HikariDataSource> database(String name) {
        return switch (name) {
            case "h2" -> TestDatabases::h2;
            case "postgresql" -> TestDatabases::postgres;
            case "mariadb" -> TestDatabases::mariadb;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private OrderReport setUp(String db, QueryLens lens) {
        pool = database(db).get();
        DataSource wrapped = lens.wrap(pool, db);
        Configuration cfg = new Configuration()
                .addAnnotatedClass(Customer.class)
                .addAnnotatedClass(PurchaseOrder.class)
                .setProperty(AvailableSettings.HBM2DDL_AUTO, "create-drop")
                .setProperty(AvailableSettings.GENERATE_STATISTICS, "true");
        cfg.getProperties().put(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, wrapped);
        sessions = cfg.buildSessionFactory();
        sessions.inTransaction(s -> {
            for (long i = 1; i <= ORDERS; i++) {
                Customer c = new Customer(i, "customer " + i);
                s.persist(c);
                s.persist(new PurchaseOrder(i, "PO-" + i, c));
            }
        });
        sessions.getStatistics().clear();
        return new OrderReport(sessions);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql", "mariadb"})
    void lazyManyToOneInALoopIsOneNPlusOneNamingTheChildTableAndTheLoop(String db) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        QueryLens lens = QueryLens.builder().meterRegistry(registry).build();
        OrderReport report = setUp(db, lens);

        List<String> names;
        try (UnitOfWork work = lens.begin("GET /orders/customers")) {
            names = report.customerNamesLazily();
        }

        assertEquals(ORDERS, names.size());
        List<FindingSummary> findings = lens.findings().findings();
        assertEquals(1, findings.size(), () -> "findings: " + findings);
        FindingSummary f = findings.get(0);
        assertEquals(FindingKind.N_PLUS_ONE, f.kind());
        assertEquals("GET /orders/customers", f.endpoint());
        assertEquals("qlc_customer", f.table());
        assertEquals(ORDERS, f.maxCount());
        assertNotNull(f.callSite());
        assertTrue(f.callSite().startsWith("com.example.shop.OrderReport.lambda$customerNamesLazily")
                || f.callSite().startsWith("com.example.shop.OrderReport.customerNamesLazily"), f.callSite());
        assertNotNull(f.parentQuery());
        assertTrue(f.parentQuery().contains("from qlc_purchase_order"), f.parentQuery());

        long executed = sessions.getStatistics().getPrepareStatementCount();
        assertEquals(ORDERS + 1, executed, "Hibernate's own count of statements");
        assertEquals(executed, registry.get(QueryLensMeters.STATEMENTS).tag("endpoint", "GET /orders/customers")
                .tag("operation", "select").counter().count());
        assertEquals(1.0, registry.get(QueryLensMeters.NPLUSONE).tag("endpoint", "GET /orders/customers")
                .tag("table", "qlc_customer").counter().count());
        assertEquals(executed, (long) registry.get(QueryLensMeters.REQUEST_STATEMENTS)
                .tag("endpoint", "GET /orders/customers").summary().totalAmount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql", "mariadb"})
    void joinFetchIsNoFinding(String db) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        QueryLens lens = QueryLens.builder().meterRegistry(registry).build();
        OrderReport report = setUp(db, lens);

        List<String> names;
        try (UnitOfWork work = lens.begin("GET /orders/customers-joined")) {
            names = report.customerNamesJoined();
        }

        assertEquals(ORDERS, names.size());
        assertEquals(List.of(), lens.findings().findings());
        assertEquals(1, sessions.getStatistics().getPrepareStatementCount());
        assertEquals(1.0, registry.get(QueryLensMeters.STATEMENTS).tag("endpoint", "GET /orders/customers-joined")
                .tag("operation", "select").counter().count());
        assertTrue(registry.find(QueryLensMeters.NPLUSONE).counters().isEmpty());
    }
}
