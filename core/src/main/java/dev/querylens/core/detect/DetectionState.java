package dev.querylens.core.detect;

import dev.querylens.core.sql.Fingerprint;

import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * What the rules track for one unit of work: one {@link StatementStats} per distinct SELECT, at most
 * {@code querylens.unit.max-fingerprints} of them. Confined to one thread of the unit (each thread the unit hands work
 * to has a state of its own, merged by {@link Detector#merge}); written only by the {@link Detector}.
 */
public final class DetectionState {
    final HashMap<Fingerprint, StatementStats> stats = new HashMap<>();
    StatementStats lastSelect;
    /** Writes (and schema changes) seen; the table of write {@code w} is in {@code recentWrites[w % 16]}. */
    int writes;
    /** The tables of the last writes; {@link Detector#EVERY_TABLE} for a change of schema or database. */
    final String[] recentWrites = new String[16];
    /** Arrays made on this thread's connections, for {@code = ANY (?)}. */
    public final KnownArrays arrays = new KnownArrays();
    /** The parameters of an execution on a connection datasource-proxy wrapped itself, reused. */
    final dev.querylens.core.jdbc.OperationValues operationValues = new dev.querylens.core.jdbc.OperationValues();
    /** Non-null keys per key list of the current execution; grows to the most lists one statement has. */
    int[] listKeys = new int[4];
    /** Statements not analysed because the unit had already seen its bound of distinct fingerprints. */
    int untracked;
    boolean anyBroken;

    /**
     * Of a thread the unit handed work to, before its first statement: the unit's last SELECT so far becomes the
     * one its loops iterate over (a task per row of the query that listed the rows). Read from the unit's own thread
     * without a lock: a stale or missing value only costs the finding its parent query.
     */
    public void continueFrom(DetectionState unit) {
        lastSelect = unit.lastSelect;
        ConcurrentHashMap<Fingerprint, String> sites = unit.sharedCallSites;
        if (sites == null) {
            SITES.compareAndSet(unit, null, new ConcurrentHashMap<Fingerprint, String>());
            sites = unit.sharedCallSites;
        }
        partCallSites = sites;
    }

    /**
     * Of a unit that handed work to other threads: where each statement first ran on one of those threads (one
     * stack walk per statement and unit), for a loop spread over them, which no single thread sees as one (see
     * {@link Detector#merge}). {@code null} until a part joins.
     */
    volatile ConcurrentHashMap<Fingerprint, String> sharedCallSites;
    /** Of a part: its unit's {@link #sharedCallSites}; {@code null} on the unit's own thread. */
    ConcurrentHashMap<Fingerprint, String> partCallSites;

    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<DetectionState, ConcurrentHashMap> SITES =
            AtomicReferenceFieldUpdater.newUpdater(DetectionState.class, ConcurrentHashMap.class, "sharedCallSites");
    /** A call site that could not be named: every frame was a framework's. */
    static final String UNKNOWN_SITE = "";

    /** The connection's schema or catalog changed ({@code Connection.setSchema}): every duplicate count restarts. */
    public void schemaChanged() {
        recentWrites[writes & (recentWrites.length - 1)] = Detector.EVERY_TABLE;
        writes++;
    }

    /** Distinct statements analysed. */
    public int tracked() {
        return stats.size();
    }

    /** Executions not analysed because the unit had reached {@code querylens.unit.max-fingerprints}. */
    public int untracked() {
        return untracked;
    }
}
