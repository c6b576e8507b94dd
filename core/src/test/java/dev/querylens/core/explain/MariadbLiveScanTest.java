package dev.querylens.core.explain;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Needs MariaDB at 127.0.0.1:3306 (user root, no password, database test), or {@code -Dquerylens.test.mariadb.url}. */
class MariadbLiveScanTest extends LiveScanTestBase {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }

    @Override
    Connection connect() {
        String url = System.getProperty("querylens.test.mariadb.url", "jdbc:mariadb://127.0.0.1:3306/test");
        try {
            return DriverManager.getConnection(url, System.getProperty("querylens.test.mariadb.user", "root"),
                    System.getProperty("querylens.test.mariadb.password", ""));
        } catch (SQLException e) {
            throw new AssertionError("these tests need MariaDB at " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    void createTable(Statement s, String table, int rows) throws SQLException {
        s.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, customer_id bigint NOT NULL,"
                + " status varchar(20) NOT NULL, total decimal(10,2) NOT NULL)");
        s.execute("INSERT INTO " + table + " SELECT seq, seq % 500, IF(seq % 100 = 0, 'NEW', 'DONE'), seq % 97"
                + " FROM seq_1_to_" + rows);
    }

    @Override
    void analyze(Statement s, String table) throws SQLException {
        s.execute("ANALYZE TABLE " + table);
    }

    @Override
    String dropIndex(String index, String table) {
        return "DROP INDEX " + index + " ON " + table;
    }
}
