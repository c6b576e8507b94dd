package dev.querylens.testapps.spring;

import com.zaxxer.hikari.HikariDataSource;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shop's pool, failing only for Querylens's EXPLAIN sampler (connections asked for on its threads, named
 * {@code querylens-explain*}); the application's own threads get the pool's connections untouched. Each borrow by
 * the sampler gets the next fault in turn: {@code getConnection} throws; statements throw on prepare; rollback
 * throws; {@code getConnection} hangs (until interrupted, at most 30 s). Used when {@code app.explain-faults=true}.
 */
public class FaultyDataSource extends HikariDataSource {

    enum Fault { GET_CONNECTION, PREPARE, ROLLBACK, HANG }

    private final AtomicInteger borrows = new AtomicInteger();

    @Override
    public Connection getConnection() throws SQLException {
        if (!Thread.currentThread().getName().startsWith("querylens-explain")) {
            return super.getConnection();
        }
        Fault fault = Fault.values()[borrows.getAndIncrement() % Fault.values().length];
        System.out.println("FAULT injected: " + fault);
        switch (fault) {
            case GET_CONNECTION -> throw new SQLException("injected: no connection for the sampler");
            case HANG -> {
                try {
                    TimeUnit.SECONDS.sleep(30); // a stuck pool: only the sampler's own bound ends the wait
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new SQLException("injected: gave up hanging");
            }
            default -> {
                return failing(super.getConnection(), fault);
            }
        }
    }

    private static Connection failing(Connection real, Fault fault) {
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            boolean fails = fault == Fault.PREPARE
                    ? name.startsWith("prepare") || name.equals("createStatement")
                    : name.equals("rollback");
            if (fails) {
                throw new SQLException("injected: " + name + " fails");
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(FaultyDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
    }
}
