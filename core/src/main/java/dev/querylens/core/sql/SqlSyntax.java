package dev.querylens.core.sql;

import java.util.List;
import java.util.Locale;

/**
 * How one database reads SQL text: where its strings, quoted names and comments start and end. Two sessions of
 * one database can read the same text differently (MySQL's {@code sql_mode}, PostgreSQL's
 * {@code standard_conforming_strings}), so a syntax is the database and those settings.
 *
 * @param family           the database family
 * @param ansiQuotes       MySQL/MariaDB {@code ANSI_QUOTES}: {@code "x"} is a name, not a string
 * @param backslashEscapes a backslash escapes the next character in a plain {@code '...'} string (and a MySQL
 *                         {@code "..."} string): MySQL/MariaDB without {@code NO_BACKSLASH_ESCAPES}, PostgreSQL
 *                         with {@code standard_conforming_strings} off
 */
public record SqlSyntax(Family family, boolean ansiQuotes, boolean backslashEscapes) {

    /** The databases whose syntax the lexer knows. */
    public enum Family {
        /**
         * {@code --} comments to the end of the line, nested block comments, {@code $tag$...$tag$} strings whose
         * tag may hold any non-ASCII character, {@code E'...'} with backslash escapes, {@code U&'...'}.
         */
        POSTGRESQL,
        /**
         * MySQL and MariaDB: {@code #} comments, {@code --} a comment only before a space or control character,
         * block comments that do not nest, {@code "..."} strings, backslash escapes, {@code $} in names.
         */
        MYSQL,
        /** H2 2.x: {@code --} and {@code //} comments, nested block comments, {@code $$...$$} strings. */
        H2
    }

    /** PostgreSQL with its default {@code standard_conforming_strings=on}. */
    public static final SqlSyntax POSTGRESQL = new SqlSyntax(Family.POSTGRESQL, false, false);
    /** MySQL or MariaDB with a {@code sql_mode} that has neither {@code ANSI_QUOTES} nor {@code NO_BACKSLASH_ESCAPES}. */
    public static final SqlSyntax MYSQL = new SqlSyntax(Family.MYSQL, false, true);
    public static final SqlSyntax H2 = new SqlSyntax(Family.H2, false, false);

    public SqlSyntax {
        if (family == null) {
            throw new IllegalArgumentException("family must not be null");
        }
        if (ansiQuotes && family != Family.MYSQL) {
            throw new IllegalArgumentException("ANSI_QUOTES is a MySQL setting, not one of " + family);
        }
        if (backslashEscapes && family == Family.H2) {
            throw new IllegalArgumentException("H2 strings take no backslash escapes");
        }
    }

    /**
     * MySQL or MariaDB with {@code sqlMode} as {@code SELECT @@SESSION.sql_mode} reports it (a comma-separated
     * list; {@code ANSI} and MariaDB's {@code ORACLE}, {@code DB2}, {@code MSSQL}... imply {@code ANSI_QUOTES}
     * and are listed expanded, but the short names are read too).
     */
    public static SqlSyntax mysql(String sqlMode) {
        boolean ansiQuotes = false;
        boolean noBackslashEscapes = false;
        for (String mode : (sqlMode == null ? "" : sqlMode).toUpperCase(Locale.ROOT).split(",")) {
            switch (mode.strip()) {
                case "ANSI_QUOTES", "ANSI", "ORACLE", "DB2", "MSSQL", "POSTGRESQL", "MAXDB" -> ansiQuotes = true;
                case "NO_BACKSLASH_ESCAPES" -> noBackslashEscapes = true;
                default -> {
                }
            }
        }
        return new SqlSyntax(Family.MYSQL, ansiQuotes, !noBackslashEscapes);
    }

    /** PostgreSQL with the session's {@code standard_conforming_strings}. */
    public static SqlSyntax postgresql(boolean standardConformingStrings) {
        return standardConformingStrings ? POSTGRESQL : new SqlSyntax(Family.POSTGRESQL, false, true);
    }

    /**
     * Every syntax a session of {@code family} may read text with, for when its settings are unknown. The first
     * reads the most of the text as names.
     */
    public static List<SqlSyntax> variants(Family family) {
        return switch (family) {
            case POSTGRESQL -> List.of(POSTGRESQL, postgresql(false));
            case MYSQL -> List.of(new SqlSyntax(Family.MYSQL, true, true), new SqlSyntax(Family.MYSQL, true, false),
                    MYSQL, new SqlSyntax(Family.MYSQL, false, false));
            case H2 -> List.of(H2);
        };
    }
}
