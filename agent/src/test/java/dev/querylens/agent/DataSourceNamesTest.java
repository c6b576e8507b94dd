package dev.querylens.agent;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each DataSource keeps its own name, built once; the table is bounded and keeps no DataSource alive. */
class DataSourceNamesTest {

    private final DataSourceNames names = new DataSourceNames();

    @Test
    void aDataSourceIsNamedByItsClassAndIdentityOnceNotPerCheckout() {
        JdbcDataSource ds = new JdbcDataSource();
        String name = names.of(ds);
        assertEquals("JdbcDataSource@" + Integer.toHexString(System.identityHashCode(ds)), name);
        assertSame(name, names.of(ds), "no name is built for the next checkout");
        Object anonymous = new Object() {
        };
        assertEquals(anonymous.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(anonymous)),
                names.of(anonymous));
    }

    @Test
    void everyInstanceKeepsItsOwnNameAndTheTableStaysBounded() {
        List<JdbcDataSource> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add(new JdbcDataSource());
        }
        for (int round = 0; round < 2; round++) {
            for (JdbcDataSource ds : all) {
                assertEquals("JdbcDataSource@" + Integer.toHexString(System.identityHashCode(ds)), names.of(ds));
            }
        }
        assertTrue(names.held() <= DataSourceNames.SLOTS, "held " + names.held());
    }

    @Test
    void aDataSourceTheApplicationDroppedIsNotKeptAlive() throws InterruptedException {
        WeakReference<Object> dropped = named();
        for (int i = 0; i < 50 && dropped.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(dropped.get());
        assertEquals(0, names.held());
    }

    private WeakReference<Object> named() {
        JdbcDataSource ds = new JdbcDataSource();
        names.of(ds);
        assertEquals(1, names.held());
        return new WeakReference<>(ds);
    }
}
