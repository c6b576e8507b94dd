package dev.querylens.core.explain;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Embedded H2, in memory. */
class H2LiveScanTest extends LiveScanTestBase {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:mem:livescan;DB_CLOSE_DELAY=-1");
    }

    @Override
    void createTable(Statement s, String table, int rows) throws SQLException {
        s.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, customer_id bigint NOT NULL,"
                + " status varchar(20) NOT NULL, total numeric(10,2) NOT NULL)");
        s.execute("INSERT INTO " + table + " SELECT x, MOD(x, 500), CASE WHEN MOD(x, 100) = 0 THEN 'NEW'"
                + " ELSE 'DONE' END, MOD(x, 97) FROM SYSTEM_RANGE(1, " + rows + ")");
    }

    @Override
    void analyze(Statement s, String table) throws SQLException {
        s.execute("ANALYZE TABLE " + table);
    }
}
