package dev.querylens.core.explain;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Needs PostgreSQL at 127.0.0.1:5432 (user postgres, database test), or {@code -Dquerylens.test.postgres.url}. */
class PostgresLiveScanTest extends LiveScanTestBase {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    Connection connect() {
        String url = System.getProperty("querylens.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
        try {
            return DriverManager.getConnection(url, System.getProperty("querylens.test.postgres.user", "postgres"),
                    System.getProperty("querylens.test.postgres.password", ""));
        } catch (SQLException e) {
            throw new AssertionError("these tests need PostgreSQL at " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    void createTable(Statement s, String table, int rows) throws SQLException {
        s.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, customer_id bigint NOT NULL,"
                + " status varchar(20) NOT NULL, total numeric(10,2) NOT NULL)");
        s.execute("INSERT INTO " + table + " SELECT g, g % 500, CASE WHEN g % 100 = 0 THEN 'NEW' ELSE 'DONE' END,"
                + " g % 97 FROM generate_series(1, " + rows + ") g");
    }

    @Override
    void analyze(Statement s, String table) throws SQLException {
        s.execute("ANALYZE " + table);
    }
}
