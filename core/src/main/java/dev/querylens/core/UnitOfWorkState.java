package dev.querylens.core;

import dev.querylens.core.detect.DetectionState;
import dev.querylens.core.explain.SampledStatement;
import dev.querylens.core.sql.Operation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * The state of one {@link UnitOfWork}: its name, tallies, what the rules track and the statements it sampled for
 * EXPLAIN. A {@link UnitOfWork} handed out by {@link QueryLens#begin} is a handle on one of these (joined handles
 * share it).
 *
 * <p>A unit runs on the thread that opened it, and also on the threads it hands work to. Each of those threads
 * records into a <em>part</em> of its own (one more {@code UnitOfWorkState}, whose {@link #root} is the unit), so
 * that the statement path stays lock-free and thread-confined; the thread that ends the unit merges the parts into
 * it before publishing. A part records a statement only between {@link #beginRecording()} and
 * {@link #endRecording()}, and only while the unit has not ended: the unit's end waits for a part that is in the
 * middle of one statement, so every statement is counted once, in the unit or under {@code none}.
 */
final class UnitOfWorkState implements CarriedUnit {

    /** At most this many threads record into one unit of work; tasks on further threads count under {@code none}. */
    static final int MAX_PARTS = 1024;

    /** The head of {@link #parts} once the unit has ended: no part joins any more. */
    private static final UnitOfWorkState CLOSED = new UnitOfWorkState("querylens-closed");
    private static final VarHandle PARTS;
    private static final VarHandle RECORDING;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PARTS = lookup.findVarHandle(UnitOfWorkState.class, "parts", UnitOfWorkState.class);
            RECORDING = lookup.findVarHandle(UnitOfWorkState.class, "recording", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The unit's name; a part reads its unit's. */
    String endpoint;
    /** Of the unit, read on its own thread only: names it as it stands (see {@link UnitOfWork#endpointSoFar}). */
    java.util.function.Supplier<String> namer;
    /** Open handles: the unit ends when the handle that began it closes. */
    int depth = 1;
    final int[] operationCounts = new int[Operation.values().length];
    int statements;
    long dbNanos;
    final DetectionState detection = new DetectionState();
    /** While a view renders: the handler that produced it (Spring MVC's {@code HandlerMethod}); else null. */
    volatile Object viewHandler;
    /**
     * Statements sampled for EXPLAIN in this unit, handed to the sampler when the unit ends so that findings carry
     * the unit's final endpoint name. Rarely more than one: sampling is rate-limited per statement and per minute.
     */
    List<SampledStatement> pendingExplains;

    /** The unit this is a part of; {@code null} for the unit itself. */
    final UnitOfWorkState root;
    /** The thread a part records on; {@code null} for the unit itself. */
    private final Thread thread;

    /** Of the unit: set when it ends, before its parts are merged. */
    private volatile boolean ended;
    /** Of the unit: its parts, newest first, linked by {@link #nextPart}; {@link #CLOSED} once it ended. */
    @SuppressWarnings("unused") // through PARTS
    private volatile UnitOfWorkState parts;
    /** Of a part: the next older part of the same unit. */
    private UnitOfWorkState nextPart;
    /** Of a part: the next part in the list {@link #end} returns (not {@link #nextPart}, which others may be reading). */
    private UnitOfWorkState nextQuiet;
    /** Of a part: how many parts the unit had once this one joined. */
    private int partCount;
    /** Of a part: true while its thread records one statement. */
    @SuppressWarnings("unused") // through RECORDING
    private volatile boolean recording;

    UnitOfWorkState(String endpoint) {
        this(endpoint, null, null);
    }

    private UnitOfWorkState(String endpoint, UnitOfWorkState root, Thread thread) {
        this.endpoint = endpoint;
        this.root = root;
        this.thread = thread;
    }

    @Override
    public String endpoint() {
        return root == null ? endpoint : root.endpoint;
    }

    @Override
    public boolean ended() {
        return root == null ? ended : root.ended;
    }

    /** The unit itself: this state, or the unit it is a part of. */
    UnitOfWorkState unit() {
        return root == null ? this : root;
    }

    /**
     * Of the unit: the part {@code thread} records into, made when the thread first runs work of the unit;
     * {@code null} once the unit has ended or has {@link #MAX_PARTS} parts. Only {@code thread} calls this.
     */
    UnitOfWorkState partFor(Thread thread) {
        UnitOfWorkState head = (UnitOfWorkState) PARTS.getVolatile(this);
        for (UnitOfWorkState p = head; p != null && p != CLOSED; p = p.nextPart) {
            if (p.thread == thread) {
                return ended ? null : p;
            }
        }
        UnitOfWorkState part = new UnitOfWorkState(null, this, thread);
        while (head != CLOSED) {
            int count = head == null ? 1 : head.partCount + 1;
            if (count > MAX_PARTS) {
                return null;
            }
            part.nextPart = head;
            part.partCount = count;
            UnitOfWorkState witness = (UnitOfWorkState) PARTS.compareAndExchange(this, head, part);
            if (witness == head) {
                return part;
            }
            head = witness;
        }
        return null;
    }

    /**
     * Of a part, on its thread, before it records a statement: false once the unit has ended, and the statement then
     * counts under {@code none}. Pairs with {@link #endRecording()}. A volatile write then a volatile read: the unit's
     * end writes {@link #ended} then reads {@link #recording}, so at least one of the two sees the other.
     */
    boolean beginRecording() {
        recording = true;
        if (root.ended) {
            RECORDING.setRelease(this, false);
            return false;
        }
        return true;
    }

    /** Of a part, after it recorded a statement: publishes what it wrote to the thread that ends the unit. */
    void endRecording() {
        RECORDING.setRelease(this, false);
    }

    /**
     * Of the unit, on the thread that ends it: marks it ended and returns its parts (oldest first, linked by
     * {@link #next()}), each one done with the statement it was recording, if any. A part whose thread does not finish
     * its statement within {@code maxWaitNanos} (it cannot block inside; this bounds a thread descheduled for long) is
     * left out and counted by {@code onLate}.
     */
    UnitOfWorkState end(long maxWaitNanos, Runnable onLate) {
        ended = true;
        UnitOfWorkState head = (UnitOfWorkState) PARTS.getAndSet(this, CLOSED);
        UnitOfWorkState quiet = null;
        for (UnitOfWorkState p = head; p != null; ) {
            if (p.awaitQuiet(maxWaitNanos)) {
                p.nextQuiet = quiet;
                quiet = p;
            } else {
                onLate.run();
            }
            p = p.nextPart;
        }
        return quiet;
    }

    /** The next part in the list {@link #end} returned. */
    UnitOfWorkState next() {
        return nextQuiet;
    }

    private boolean awaitQuiet(long maxWaitNanos) {
        if (!(boolean) RECORDING.getAcquire(this)) {
            return true;
        }
        long deadline = System.nanoTime() + maxWaitNanos;
        for (int spins = 0; (boolean) RECORDING.getAcquire(this); spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else if (System.nanoTime() - deadline > 0) {
                return false;
            } else {
                Thread.yield();
            }
        }
        return true;
    }
}
