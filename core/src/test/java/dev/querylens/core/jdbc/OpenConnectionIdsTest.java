package dev.querylens.core.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.QueryLens;
import dev.querylens.core.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.ttddyy.dsproxy.ConnectionIdManager;
import net.ttddyy.dsproxy.proxy.ProxyJdbcObject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connection ids without datasource-proxy's shared monitor: unique, and held only while the connection is open. */
class OpenConnectionIdsTest {

    @Test
    void idsAreUniqueAcrossThreadsAndLeaveTheOpenSetWhenClosed() throws Exception {
        OpenConnectionIds ids = new OpenConnectionIds();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> taken = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                taken.add(threads.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < 5_000; i++) {
                        mine.add(ids.getId(null));
                    }
                    return mine;
                }));
            }
            Set<String> all = new HashSet<>();
            for (Future<List<String>> f : taken) {
                all.addAll(f.get());
            }
            assertEquals(20_000, all.size(), "no id given twice");
            assertEquals(all, ids.getOpenConnectionIds());
            all.forEach(ids::addClosedId);
            ids.addClosedId(null);
            assertTrue(ids.getOpenConnectionIds().isEmpty());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void querylensWrappersUseItInEveryWayOfWrapping() throws Exception {
        QueryLens lens = QueryLens.builder().meterRegistry(new SimpleMeterRegistry()).build();
        try (HikariDataSource pool = TestDatabases.h2()) {
            Connection byConnection = lens.wrapConnection(pool.getConnection(), "db");
            Connection byDataSource = lens.wrap(pool, "db").getConnection();
            for (Connection c : List.of(byConnection, byDataSource)) {
                ConnectionIdManager ids = ((ProxyJdbcObject) c).getProxyConfig().getConnectionIdManager();
                assertInstanceOf(OpenConnectionIds.class, ids);
                int open = ids.getOpenConnectionIds().size();
                assertTrue(open >= 1, "the open connection's id is held");
                c.close();
                assertEquals(open - 1, ids.getOpenConnectionIds().size(), "closing gives its id back");
            }
        } finally {
            lens.close();
        }
    }
}
