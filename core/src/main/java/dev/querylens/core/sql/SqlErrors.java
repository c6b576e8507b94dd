package dev.querylens.core.sql;

import java.sql.SQLException;

/**
 * What of a driver's exception may be logged or reported: its class, SQLState and vendor code, never its message.
 * Drivers write statement text into messages (MariaDB's server quotes the statement near a syntax error, with the
 * bind values MariaDB Connector/J wrote into it; H2 appends the whole statement), and bind values and literals
 * never leave the process.
 */
public final class SqlErrors {
    private SqlErrors() {
    }

    /**
     * The first {@link SQLException} in {@code error}'s cause chain as {@code SQLState 42000, vendor code 1064
     * (java.sql.SQLSyntaxErrorException)}; for a chain without one, the class of {@code error} alone.
     */
    public static String describe(Throwable error) {
        SQLException sql = firstSqlException(error);
        if (sql == null) {
            return error == null ? "no error" : error.getClass().getName();
        }
        return "SQLState " + sql.getSQLState() + ", vendor code " + sql.getErrorCode() + " (" + sql.getClass().getName() + ")";
    }

    /**
     * {@code error} itself when no {@link SQLException} is in its cause chain; otherwise a copy of the chain in
     * which every message is replaced by {@link #describe} of its link, stack traces kept, suppressed exceptions
     * left out. For logging a stack trace without a driver's text.
     */
    public static Throwable withoutMessages(Throwable error) {
        if (firstSqlException(error) == null) {
            return error;
        }
        return redact(error, 0);
    }

    private static Throwable redact(Throwable error, int depth) {
        Throwable cause = error.getCause() == null || error.getCause() == error || depth > 16
                ? null : redact(error.getCause(), depth + 1);
        Redacted copy = new Redacted(error instanceof SQLException s
                ? "SQLState " + s.getSQLState() + ", vendor code " + s.getErrorCode() + " (" + error.getClass().getName() + ")"
                : error.getClass().getName(), cause);
        copy.setStackTrace(error.getStackTrace());
        return copy;
    }

    private static SQLException firstSqlException(Throwable error) {
        int depth = 0;
        for (Throwable t = error; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    /** A link of a redacted cause chain: the original's class, SQLState and vendor code as its message. */
    static final class Redacted extends Exception {
        private static final long serialVersionUID = 1L;

        Redacted(String message, Throwable cause) {
            super(message, cause, false, true);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
