// Re-captures the H2 plan fixtures. Run from this folder with the H2 jar of the build:
//   java -cp ~/.m2/repository/com/h2database/h2/2.3.232/h2-2.3.232.jar CaptureH2.java
// Same data shape as capture-postgresql.sh, in an in-memory database. Plans are plain EXPLAIN.
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

public class CaptureH2 {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of("h2");
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:capture"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE cap_customers (id bigint PRIMARY KEY, name varchar(100) NOT NULL,"
                    + " country varchar(2) NOT NULL)");
            s.execute("CREATE TABLE cap_orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL,"
                    + " status varchar(20) NOT NULL, total numeric(10,2) NOT NULL, created_at timestamp NOT NULL,"
                    + " note varchar(200))");
            s.execute("INSERT INTO cap_customers SELECT x, 'customer ' || x,"
                    + " ARRAY['FR','DE','US','JP','BR'][1 + MOD(x, 5)] FROM SYSTEM_RANGE(1, 5000)");
            s.execute("INSERT INTO cap_orders SELECT x, 1 + MOD(x, 5000),"
                    + " CASE WHEN MOD(x, 100) = 0 THEN 'NEW' ELSE 'DONE' END, MOD(x, 997) * 1.5,"
                    + " TIMESTAMP '2024-01-01 00:00:00' + x * INTERVAL '1' MINUTE, NULL FROM SYSTEM_RANGE(1, 60000)");
            s.execute("CREATE INDEX cap_orders_customer_id_idx ON cap_orders (customer_id)");
            s.execute("CREATE VIEW cap_new_orders AS SELECT * FROM cap_orders WHERE status = 'NEW'");
            s.execute("ANALYZE");

            String[][] queries = {
                {"table_scan_filter", "SELECT * FROM cap_orders WHERE status = 'NEW'"},
                {"table_scan_binds", "SELECT * FROM cap_orders WHERE status = ? AND created_at > ?"},
                {"table_scan_no_filter", "SELECT status, COUNT(*) FROM cap_orders GROUP BY status"},
                {"table_scan_complex_filter", "SELECT * FROM cap_orders WHERE status IN ('NEW', 'HOLD')"
                        + " AND note LIKE 'abc%' OR note IS NULL AND total BETWEEN 10 AND 20"},
                {"index_lookup", "SELECT * FROM cap_orders WHERE customer_id = ?"},
                {"primary_key", "SELECT * FROM cap_orders WHERE id = 42"},
                {"rowid", "SELECT * FROM cap_orders WHERE _ROWID_ = 42"},
                {"direct_lookup", "SELECT COUNT(*) FROM cap_orders"},
                {"join_index", "SELECT o.id, c.name FROM cap_orders o JOIN cap_customers c ON c.id = o.customer_id"
                        + " WHERE c.country = 'FR' AND o.status = 'NEW'"},
                {"join_two_scans", "SELECT o.id, c.name FROM cap_customers c JOIN cap_orders o"
                        + " ON c.country = o.status WHERE o.total > 100 AND c.name LIKE 'x%'"},
                {"left_join", "SELECT o.id FROM cap_orders o LEFT JOIN cap_customers c ON c.id = o.customer_id"
                        + " WHERE o.status = 'NEW' AND c.country IS NULL"},
                {"subquery", "SELECT * FROM cap_orders o WHERE o.customer_id IN"
                        + " (SELECT id FROM cap_customers WHERE country = 'FR') AND o.status = 'NEW'"},
                {"view", "SELECT * FROM cap_new_orders WHERE total > 10"},
                {"limit_stops_early", "SELECT * FROM cap_orders WHERE status = 'NEW' LIMIT 10"},
                {"limit_after_sort", "SELECT * FROM cap_orders WHERE status = 'NEW' ORDER BY created_at LIMIT 10"},
            };
            for (String[] q : queries) {
                try (ResultSet r = s.executeQuery("EXPLAIN " + q[1])) {
                    r.next();
                    Files.writeString(dir.resolve(q[0] + ".txt"), r.getString(1) + "\n");
                    Files.writeString(dir.resolve(q[0] + ".sql"), q[1] + "\n");
                }
            }
        }
    }
}
