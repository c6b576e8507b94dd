package dev.querylens.core.detect;

import dev.querylens.core.sql.Fingerprint;

import java.util.HashMap;

/**
 * What the rules track for one unit of work: one {@link StatementStats} per distinct SELECT, at most
 * {@code querylens.unit.max-fingerprints} of them. Confined to the unit's thread; written only by the
 * {@link Detector}.
 */
public final class DetectionState {
    final HashMap<Fingerprint, StatementStats> stats = new HashMap<>();
    StatementStats lastSelect;
    /** Statements not analysed because the unit had already seen its bound of distinct fingerprints. */
    int untracked;
    boolean anyBroken;

    /** Distinct statements analysed. */
    public int tracked() {
        return stats.size();
    }

    /** Executions not analysed because the unit had reached {@code querylens.unit.max-fingerprints}. */
    public int untracked() {
        return untracked;
    }
}
