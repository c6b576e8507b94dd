package dev.querylens.core.explain;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;

/**
 * Tells a timed-out EXPLAIN (statement or lock timeout: worth trying again later) from one that failed for good.
 * Reads SQLStates and vendor codes of PostgreSQL, MariaDB/MySQL and H2, through the whole cause chain.
 */
final class TimeoutClassifier {

    private TimeoutClassifier() {
    }

    static boolean isTimeout(Dialect dialect, SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTimeoutException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                int code = s.getErrorCode();
                if ("55P03".equals(state) || "57014".equals(state) // PostgreSQL lock_not_available, query_canceled
                        || code == 1205 || code == 3024 || code == 1969 || "70100".equals(state) // MySQL, MariaDB
                        || code == 50200 || "HYT00".equals(state) || code == 57014) { // H2 lock timeout, cancel
                    return true;
                }
            }
        }
        return false;
    }
}
