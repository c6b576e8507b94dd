package dev.querylens.core.jdbc;

/**
 * The few connection calls besides statements that the rules read, told by {@link DelegatingConnection} after they
 * succeeded to every query listener that implements this: an array made with {@code createArrayOf} (so that an array
 * bound to {@code = ANY (?)} is known by its elements), and a change of schema or catalog (what later statements
 * read changes). Rare calls; implementations must not throw.
 */
public interface ConnectionEvents {

    /** {@code array} was made from {@code elements} ({@code Connection.createArrayOf}). */
    void arrayCreated(Object array, Object[] elements);

    /** {@code Connection.setSchema} or {@code setCatalog} succeeded. */
    void schemaChanged();
}
