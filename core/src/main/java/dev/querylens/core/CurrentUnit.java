package dev.querylens.core;

/** Which unit of work each thread is in, and which threads run Querylens's own SQL (never counted). */
final class CurrentUnit {

    /** Marks a thread on which Querylens runs SQL of its own. */
    static final UnitOfWorkState SUPPRESSED = new UnitOfWorkState("querylens-internal");

    private final ThreadLocal<UnitOfWorkState> current = new ThreadLocal<>();

    /** The unit open on this thread, {@link #SUPPRESSED}, or {@code null}. */
    UnitOfWorkState get() {
        return current.get();
    }

    void set(UnitOfWorkState unit) {
        current.set(unit);
    }

    /** Puts the thread back in {@code previous}, or in no unit when it is {@code null}. */
    void restore(UnitOfWorkState previous) {
        if (previous == null) {
            current.remove();
        } else {
            current.set(previous);
        }
    }

    /** Leaves the unit, if {@code unit} is still the one open on this thread. */
    void leave(UnitOfWorkState unit) {
        if (current.get() == unit) {
            current.remove();
        }
    }

    /** Marks this thread as running Querylens's own SQL until the returned scope closes. */
    AutoCloseable suppress() {
        UnitOfWorkState previous = current.get();
        current.set(SUPPRESSED);
        return () -> {
            if (previous == null) {
                current.remove();
            } else {
                current.set(previous);
            }
        };
    }
}
