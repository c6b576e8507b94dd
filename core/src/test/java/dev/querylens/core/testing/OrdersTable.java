package dev.querylens.core.testing;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The table the EXPLAIN tests scan: {@code (id primary key, customer_id, status, total)} with 1% of rows in status
 * {@code NEW}, filled in one statement on each database the tests use.
 */
public final class OrdersTable {
    private OrdersTable() {
    }

    /** Creates and fills {@code table} with {@code rows} rows; call {@link #analyze} before asking for plans. */
    public static void create(Statement s, String table, int rows) throws SQLException {
        String numeric = product(s).equals("mariadb") ? "decimal(10,2)" : "numeric(10,2)";
        s.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, customer_id bigint NOT NULL,"
                + " status varchar(20) NOT NULL, total " + numeric + " NOT NULL)");
        s.execute(switch (product(s)) {
            case "postgresql" -> "INSERT INTO " + table + " SELECT g, g % 500,"
                    + " CASE WHEN g % 100 = 0 THEN 'NEW' ELSE 'DONE' END, g % 97 FROM generate_series(1, " + rows + ") g";
            case "mariadb" -> "INSERT INTO " + table + " SELECT seq, seq % 500, IF(seq % 100 = 0, 'NEW', 'DONE'), seq % 97"
                    + " FROM seq_1_to_" + rows;
            default -> "INSERT INTO " + table + " SELECT x, MOD(x, 500), CASE WHEN MOD(x, 100) = 0 THEN 'NEW'"
                    + " ELSE 'DONE' END, MOD(x, 97) FROM SYSTEM_RANGE(1, " + rows + ")";
        });
    }

    /** Creates, fills and analyses {@code table} on a connection of {@code ds}. */
    public static void createAnalyzed(javax.sql.DataSource ds, String table, int rows) throws SQLException {
        try (java.sql.Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            create(s, table, rows);
            analyze(s, table);
        }
    }

    /** Refreshes the planner's statistics of {@code table}. */
    public static void analyze(Statement s, String table) throws SQLException {
        s.execute(product(s).equals("postgresql") ? "ANALYZE " + table : "ANALYZE TABLE " + table);
    }

    private static String product(Statement s) throws SQLException {
        String p = s.getConnection().getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        return p.contains("postgres") ? "postgresql" : p.contains("mariadb") || p.contains("mysql") ? "mariadb" : "h2";
    }
}
