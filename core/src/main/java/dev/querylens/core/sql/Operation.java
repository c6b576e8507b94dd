package dev.querylens.core.sql;

import java.util.Locale;

/** What a statement does, as read from its SQL (not from the JDBC method that ran it). */
public enum Operation {
    SELECT, INSERT, UPDATE, DELETE, MERGE, CALL, OTHER;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The lowercase value used as the {@code operation} meter tag. */
    public String tag() {
        return tag;
    }
}
