package dev.querylens.core;

/**
 * A unit of work taken from the thread that opened it to another thread: what {@link QueryLens#carry()} returns on
 * the thread that hands work over, and what {@link QueryLens#attach(CarriedUnit)} takes on the thread that runs it.
 * Holding one costs nothing: it is the unit itself, not a copy. Once the unit has ended, attaching it makes the
 * thread's statements count under {@code none}; they are never added to a unit already published.
 */
public sealed interface CarriedUnit permits UnitOfWorkState {

    /** The endpoint the unit is recorded under (the name it has now; the unit that opened it may still rename it). */
    String endpoint();

    /** True once the unit has ended and been published. */
    boolean ended();

    /**
     * The scope of an {@link QueryLens#attach attachment}: closing it puts the thread back in the unit it was in
     * before. Close it on the thread that attached, in a finally block. Never throws.
     */
    interface Scope extends AutoCloseable {
        @Override
        void close();

        /** A scope that changed nothing. */
        Scope NOOP = () -> {
        };
    }
}
