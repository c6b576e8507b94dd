package dev.querylens.core.explain;

import dev.querylens.core.sql.SqlSyntax;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The databases whose plans Querylens reads, with what differs between them: how to ask for a plan, how to ask
 * for a table's size and how to write a name in an index suggestion. Timeouts are in {@link ExplainCommand}.
 */
public enum Dialect {
    POSTGRESQL("EXPLAIN (FORMAT JSON) ",
            // concat_ws skips the NULL schema: to_regclass then resolves the bare name along the search_path.
            "SELECT c.reltuples::bigint FROM pg_catalog.pg_class c"
                    + " WHERE c.oid = to_regclass(concat_ws('.', quote_ident(?), quote_ident(?)))"),
    MYSQL("EXPLAIN FORMAT=JSON ",
            "SELECT TABLE_ROWS FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?"),
    MARIADB("EXPLAIN FORMAT=JSON ", MYSQL.tableRowsSql),
    H2("EXPLAIN ",
            "SELECT ROW_COUNT_ESTIMATE FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_SCHEMA = COALESCE(?, CURRENT_SCHEMA) AND TABLE_NAME = ?"),
    /** A database Querylens does not explain; every method but {@link #supported()} refuses it. */
    UNSUPPORTED(null, null);

    // Words that cannot stand as bare names in CREATE INDEX in at least one of the dialects.
    private static final Set<String> RESERVED = Set.of(
            "ALL", "AND", "ANY", "AS", "ASC", "BETWEEN", "BY", "CASE", "CHECK", "COLUMN", "CONSTRAINT", "CREATE",
            "CROSS", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER", "DEFAULT", "DELETE",
            "DESC", "DISTINCT", "DROP", "ELSE", "END", "EXCEPT", "EXISTS", "FALSE", "FETCH", "FOR", "FOREIGN",
            "FROM", "FULL", "GRANT", "GROUP", "HAVING", "IN", "INDEX", "INNER", "INSERT", "INTERSECT", "INTO",
            "IS", "JOIN", "KEY", "LEFT", "LIKE", "LIMIT", "NATURAL", "NOT", "NULL", "OFFSET", "ON", "OR", "ORDER",
            "OUTER", "PRIMARY", "REFERENCES", "RIGHT", "ROW", "ROWS", "SELECT", "SET", "TABLE", "THEN", "TO",
            "TRUE", "UNION", "UNIQUE", "UPDATE", "USER", "USING", "VALUES", "WHEN", "WHERE", "WINDOW", "WITH");
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");

    private final String explainPrefix;
    private final String tableRowsSql;

    Dialect(String explainPrefix, String tableRowsSql) {
        this.explainPrefix = explainPrefix;
        this.tableRowsSql = tableRowsSql;
    }

    /**
     * The dialect of the database behind {@code metaData}; {@link #UNSUPPORTED} for any other database or for a
     * version too old to print JSON plans (PostgreSQL before 9.0, MySQL before 5.6, MariaDB before 10.1) or to
     * print plans the H2 reader was checked against (H2 before 2.0).
     */
    public static Dialect detect(DatabaseMetaData metaData) throws SQLException {
        return detect(metaData.getDatabaseProductName(), metaData.getDatabaseProductVersion());
    }

    /**
     * The dialect for a product name and version as JDBC drivers report them. MariaDB reached through a MySQL
     * driver calls itself {@code MySQL} with a version such as {@code 5.5.5-10.11.6-MariaDB}: the version decides.
     */
    public static Dialect detect(String productName, String productVersion) {
        String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        String version = productVersion == null ? "" : productVersion;
        boolean mariaVersion = version.toLowerCase(Locale.ROOT).contains("mariadb");
        if (mariaVersion && version.startsWith("5.5.5-")) {
            version = version.substring("5.5.5-".length()); // compatibility prefix MariaDB sends to MySQL clients
        }
        if (name.contains("postgresql")) {
            return atLeast(version, 9, 0) ? POSTGRESQL : UNSUPPORTED;
        }
        if (name.contains("mariadb") || (name.contains("mysql") && mariaVersion)) {
            return atLeast(version, 10, 1) ? MARIADB : UNSUPPORTED;
        }
        if (name.contains("mysql")) {
            return atLeast(version, 5, 6) ? MYSQL : UNSUPPORTED;
        }
        if (name.equals("h2")) {
            return atLeast(version, 2, 0) ? H2 : UNSUPPORTED;
        }
        return UNSUPPORTED;
    }

    private static boolean atLeast(String version, int major, int minor) {
        Matcher m = VERSION.matcher(version);
        if (!m.find()) {
            return false;
        }
        int foundMajor = Integer.parseInt(m.group(1));
        return foundMajor > major || (foundMajor == major && Integer.parseInt(m.group(2)) >= minor);
    }

    /** True for every dialect but {@link #UNSUPPORTED}. */
    public boolean supported() {
        return this != UNSUPPORTED;
    }

    /**
     * What goes before the statement to get its plan without running it: {@code EXPLAIN (FORMAT JSON) },
     * {@code EXPLAIN FORMAT=JSON } or {@code EXPLAIN }. Never {@code ANALYZE}, which runs the statement.
     */
    public String explainPrefix() {
        return require(explainPrefix);
    }

    /**
     * The query for the planner's row estimate of one table, with two parameters: the schema (or {@code null}
     * for the connection's current one) and the table name, case as stored. It returns one row, or none for an
     * unknown table. PostgreSQL answers {@code -1} for a table never analysed; MySQL and MariaDB answer
     * {@code NULL} for a view. {@link ExplainJdbc#tableRows} runs it.
     */
    public String tableRowsSql() {
        return require(tableRowsSql);
    }

    /** True when {@code CREATE INDEX} needs an index name: every dialect but PostgreSQL. */
    public boolean indexNameRequired() {
        return require(this) != POSTGRESQL;
    }

    /**
     * {@code name} (case as stored) written so that this database reads it back unchanged: bare when it can be,
     * quoted otherwise. H2 stores unquoted names in upper case, so {@code ORDERS} is written {@code orders}.
     */
    public String sqlName(String name) {
        require(this);
        boolean plain = switch (this) {
            case POSTGRESQL -> name.matches("[a-z_][a-z0-9_]*");
            case H2 -> name.matches("[A-Z_][A-Z0-9_]*");
            default -> name.matches("[A-Za-z_][A-Za-z0-9_]*");
        };
        if (plain && !RESERVED.contains(name.toUpperCase(Locale.ROOT))) {
            return this == H2 ? name.toLowerCase(Locale.ROOT) : name;
        }
        return switch (this) {
            case MYSQL, MARIADB -> "`" + name.replace("`", "``") + "`";
            default -> "\"" + name.replace("\"", "\"\"") + "\"";
        };
    }

    /**
     * How this database writes SQL text in its plans (filters, conditions): its syntax with default settings.
     * {@link #UNSUPPORTED} has none of its own and is read as PostgreSQL.
     */
    public SqlSyntax planSyntax() {
        return switch (syntaxFamily()) {
            case MYSQL -> SqlSyntax.MYSQL;
            case H2 -> SqlSyntax.H2;
            case POSTGRESQL -> SqlSyntax.POSTGRESQL;
        };
    }

    /** How this database reads SQL text; {@link #UNSUPPORTED} has no syntax of its own and is read as PostgreSQL. */
    SqlSyntax.Family syntaxFamily() {
        return switch (this) {
            case MYSQL, MARIADB -> SqlSyntax.Family.MYSQL;
            case H2 -> SqlSyntax.Family.H2;
            default -> SqlSyntax.Family.POSTGRESQL;
        };
    }

    /** True for MySQL and MariaDB, whose strings take backslash escapes and whose plans share one JSON shape. */
    boolean mysqlFamily() {
        return this == MYSQL || this == MARIADB;
    }

    private <T> T require(T value) {
        if (value == null || this == UNSUPPORTED) {
            throw new IllegalStateException("no EXPLAIN support for an unsupported database");
        }
        return value;
    }
}
