package dev.querylens.agent.redeploy;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * A web application's own DataSource class: {@code RedeployTest} defines it afresh in each application's class
 * loader. It references JDK types only, so that it loads from nothing but its own class file. It tells when
 * Querylens's EXPLAIN sampler (a {@code querylens} thread) takes a connection from it.
 */
public class AppDataSource implements DataSource {

    private final DataSource database;
    private final Runnable onQuerylensBorrow;

    public AppDataSource(DataSource database, Runnable onQuerylensBorrow) {
        this.database = database;
        this.onQuerylensBorrow = onQuerylensBorrow;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (Thread.currentThread().getName().startsWith("querylens")) {
            onQuerylensBorrow.run();
        }
        return database.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
