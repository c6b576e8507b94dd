package dev.querylens.core.explain;

/** How a plan reads one table. */
public enum Access {
    /** Every row of the table is read: PostgreSQL {@code Seq Scan}, MySQL {@code ALL}, H2 {@code tableScan}. */
    FULL_SCAN,
    /** Rows are found or ordered through an index, the primary key or a row id (full index scans included). */
    INDEX,
    /** Anything else: views, derived tables, table functions, constant rows, access methods not listed here. */
    OTHER
}
