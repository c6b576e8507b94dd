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

    /**
     * For a unit whose name is only settled when it ends (an HTTP request, whose route the web framework chooses after
     * the unit began): names the unit as it stands at the moment it is asked. When a statement makes a finding,
     * Querylens asks it, on the unit's own thread, whether the findings already hold that finding of this endpoint,
     * and if so takes its call site instead of walking the stack. It must not throw or block; ignored on a joined
     * handle, forgotten when the unit ends.
     */
    default void endpointSoFar(java.util.function.Supplier<String> namer) {
    }

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
