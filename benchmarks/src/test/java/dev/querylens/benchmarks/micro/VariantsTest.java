package dev.querylens.benchmarks.micro;

import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.QueryLens;
import dev.querylens.core.UnitOfWork;
import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each variant really is what its name says: a benchmark of an unwrapped connection would measure nothing. */
class VariantsTest {

    @Test
    void querylensRecordsTheStatementsInsideAUnitOfWork() throws Exception {
        try (HikariDataSource pool = Db.open()) {
            Variants.Wrapped wrapped = Variants.wrap(Variants.QUERYLENS, pool);
            QueryLens lens = wrapped.lens();
            try (Connection c = wrapped.dataSource().getConnection()) {
                assertTrue(QueryLens.isWrapped(c));
                try (UnitOfWork unit = lens.begin("GET /customers/{id}")) {
                    assertEquals("customer1@example.com", selectEmail(c, 1));
                    assertEquals("customer2@example.com", selectEmail(c, 2));
                }
            }
            double counted = lens.meterRegistry().get("querylens.statements")
                    .tag("endpoint", "GET /customers/{id}").tag("operation", "select").counter().count();
            assertEquals(2, counted);
        }
    }

    @Test
    void datasourceProxyAndP6spyWrapAndRawDoesNot() throws Exception {
        try (HikariDataSource pool = Db.open()) {
            try (Connection c = Variants.wrap(Variants.DATASOURCE_PROXY, pool).dataSource().getConnection()) {
                assertTrue(c instanceof ProxyJdbcObject);
                assertEquals("customer3@example.com", selectEmail(c, 3));
            }
            try (Connection c = Variants.wrap(Variants.P6SPY, pool).dataSource().getConnection()) {
                assertTrue(c.getClass().getName().startsWith("com.p6spy."), c.getClass().getName());
                assertEquals("customer4@example.com", selectEmail(c, 4));
            }
            try (Connection c = Variants.wrap(Variants.RAW, pool).dataSource().getConnection()) {
                assertFalse(QueryLens.isWrapped(c));
                assertTrue(c.getClass().getName().startsWith("com.zaxxer.hikari."), c.getClass().getName());
            }
        }
    }

    private static String selectEmail(Connection c, long id) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(Db.SELECT)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(2);
            }
        }
    }
}
