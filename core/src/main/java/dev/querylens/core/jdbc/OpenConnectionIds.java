package dev.querylens.core.jdbc;

import net.ttddyy.dsproxy.ConnectionIdManager;

import java.sql.Connection;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * datasource-proxy's connection ids, without its lock: {@code DefaultConnectionIdManager} adds and removes each id
 * under one monitor that every connection of the application shares, at each {@code getConnection} and
 * {@code close}, where request threads meet. Here a counter and a concurrent set. Holds one id per open connection,
 * as datasource-proxy's does.
 */
public final class OpenConnectionIds implements ConnectionIdManager {
    private final AtomicLong counter = new AtomicLong();
    private final Set<String> open = ConcurrentHashMap.newKeySet();

    @Override
    public String getId(Connection connection) {
        String id = Long.toString(counter.incrementAndGet());
        open.add(id);
        return id;
    }

    @Override
    public void addClosedId(String closedId) {
        if (closedId != null) {
            open.remove(closedId);
        }
    }

    @Override
    public Set<String> getOpenConnectionIds() {
        return Collections.unmodifiableSet(open);
    }
}
