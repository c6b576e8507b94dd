package dev.querylens.core.detect;

import dev.querylens.core.sql.Fingerprint;

import java.util.HashMap;

/**
 * What the rules track for one unit of work: one {@link StatementStats} per distinct SELECT, at most
 * {@code querylens.unit.max-fingerprints} of them. Confined to one thread of the unit (each thread the unit hands work
 * to has a state of its own, merged by {@link Detector#merge}); written only by the {@link Detector}.
 */
public final class DetectionState {
    final HashMap<Fingerprint, StatementStats> stats = new HashMap<>();
    StatementStats lastSelect;
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
