package dev.querylens.core.sql;

/** Placeholder: implemented in its own change. */
public final class SqlFingerprinter {
    public SqlFingerprinter(int maxSqlLength, int cacheSize) {
    }

    /** Reads {@code sql}, from the bounded cache when it was seen before. Never throws; {@code null} gives OTHER. */
    public ParsedSql parse(String sql) {
        throw new UnsupportedOperationException();
    }
}
