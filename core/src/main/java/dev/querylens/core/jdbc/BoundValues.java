package dev.querylens.core.jdbc;

/**
 * The parameters bound to one execution, one by one, for the rules that need more than the sum of their hashes:
 * per parameter, its 1-based index (0 for a named one), the {@link BindHash} of its setter call, whether it is SQL
 * NULL, and its value when it is an object (an array bound to {@code = ANY (?)}, say). For a batch, nothing.
 * Implementations are reused from one execution to the next: read them during the listener call only.
 */
public interface BoundValues {

    /** Parameters set, in the order they were first set. */
    int size();

    /** The 1-based index of the {@code i}-th parameter, or 0 for a parameter set by name. */
    int parameterIndex(int i);

    /** The {@link BindHash} of the {@code i}-th parameter's setter call. */
    long hash(int i);

    /** True when the {@code i}-th parameter is SQL NULL ({@code setNull}, or a null object). */
    boolean isNull(int i);

    /** The {@code i}-th parameter's value when it was set as an object, else {@code null}. */
    Object value(int i);

    /** No parameters. */
    BoundValues NONE = new BoundValues() {
        @Override
        public int size() {
            return 0;
        }

        @Override
        public int parameterIndex(int i) {
            throw new IndexOutOfBoundsException(i);
        }

        @Override
        public long hash(int i) {
            throw new IndexOutOfBoundsException(i);
        }

        @Override
        public boolean isNull(int i) {
            throw new IndexOutOfBoundsException(i);
        }

        @Override
        public Object value(int i) {
            throw new IndexOutOfBoundsException(i);
        }
    };
}
