package dev.querylens.core;

/**
 * One unit of work (an HTTP request, a job run) in progress on the current thread. Close it on every exit path:
 * {@code try (UnitOfWork work = queryLens.begin("GET /orders/{id}")) { ... }}. A {@code begin} while another unit is
 * open on the thread joins it: closing the inner handle does nothing, the outer one ends the unit.
 */
public interface UnitOfWork extends AutoCloseable {

    /** Renames the unit, e.g. once the route template is known after it began. Ignored on a joined handle. */
    void endpoint(String endpoint);

    /** The endpoint the unit is recorded under. */
    String endpoint();

    /** Ends the unit (when this handle began it): publishes its meters and findings. Never throws. */
    @Override
    void close();

    /** The handle of a disabled Querylens, or one that failed to begin: does nothing. */
    UnitOfWork NOOP = new UnitOfWork() {
        @Override
        public void endpoint(String endpoint) {
        }

        @Override
        public String endpoint() {
            return QueryLensMeters.NO_ENDPOINT;
        }

        @Override
        public void close() {
        }
    };
}
