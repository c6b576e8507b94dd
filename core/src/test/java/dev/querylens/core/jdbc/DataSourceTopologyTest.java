package dev.querylens.core.jdbc;

import com.mchange.v2.c3p0.ComboPooledDataSource;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataSourceTopologyTest {

    /** An application's own subclass of a pool. */
    static class TenantPool extends HikariDataSource {
    }

    @Test
    void rolesByClass() {
        assertEquals(DataSourceTopology.WRAP, DataSourceTopology.of(HikariDataSource.class));
        assertEquals(DataSourceTopology.WRAP, DataSourceTopology.of(TenantPool.class));
        assertEquals(DataSourceTopology.PASS_THROUGH, DataSourceTopology.of(DriverDataSource.class));
        assertEquals(DataSourceTopology.WRAP_UNLESS_POOL_ON_STACK, DataSourceTopology.of(JdbcDataSource.class));
        assertTrue(DataSourceTopology.wraps(JdbcDataSource.class), "no pool on this test's stack");
        assertFalse(DataSourceTopology.wraps(DriverDataSource.class));
        assertTrue(DataSourceTopology.isPoolFrame("com.zaxxer.hikari.pool.HikariPool"));
        assertFalse(DataSourceTopology.isPoolFrame("com.example.shop.Orders"));
    }

    @Test
    void c3p0sDriverDataSourceWrapsUnlessItsPoolOpensTheConnection() {
        assertEquals(DataSourceTopology.WRAP, DataSourceTopology.of(ComboPooledDataSource.class));
        // what c3p0's pool opens its physical connections with, on its helper threads; also an unpooled DataSource
        assertEquals(DataSourceTopology.WRAP_UNLESS_POOL_ON_STACK,
                DataSourceTopology.of(com.mchange.v2.c3p0.DriverManagerDataSource.class));
        assertTrue(DataSourceTopology.wraps(com.mchange.v2.c3p0.DriverManagerDataSource.class),
                "used on its own, by the application");
        assertTrue(DataSourceTopology.isPoolFrame("com.mchange.v2.resourcepool.BasicResourcePool"));
        assertTrue(DataSourceTopology.isPoolFrame("com.mchange.v2.c3p0.WrapperConnectionPoolDataSource"));
        assertFalse(DataSourceTopology.isPoolFrame("com.mchange.v2.c3p0.DriverManagerDataSource"),
                "the DataSource's own frame is on the stack of every call to it");
    }

    @Test
    void onlyTheOutermostGetConnectionWraps() {
        assertTrue(DataSourceTopology.enterGetConnection());
        assertFalse(DataSourceTopology.enterGetConnection(), "a DataSource calling another one's getConnection");
        assertFalse(DataSourceTopology.exitGetConnection());
        assertTrue(DataSourceTopology.exitGetConnection());
        assertTrue(DataSourceTopology.enterGetConnection(), "back to the outermost level");
        assertTrue(DataSourceTopology.exitGetConnection());
    }
}
