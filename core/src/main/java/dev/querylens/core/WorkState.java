package dev.querylens.core;

import dev.querylens.core.sql.Fingerprint;

import java.util.HashMap;

/** The tallies of one unit of work. Confined to the thread that runs it; published to meters when it ends. */
final class WorkState {
    static final int MAX_PARENT_STEPS = 32;

    String endpoint;
    final long startNanos;
    int depth = 1;
    final int[] operationCounts = new int[Operation.values().length];
    int statements;
    long dbNanos;
    /** Statements not analysed because the unit had already seen its bound of distinct fingerprints. */
    int untracked;
    final HashMap<Fingerprint, StatementStats> stats = new HashMap<>();
    StatementStats lastSelect;
    boolean anyFinding;
    /**
     * Statements sampled for EXPLAIN in this unit, handed to the sampler when the unit ends so that findings carry
     * the unit's final endpoint name. Rarely more than one: sampling is rate-limited per statement and per minute.
     */
    java.util.List<ExplainSampler.Task> pendingExplains;

    WorkState(String endpoint, long startNanos) {
        this.endpoint = endpoint;
        this.startNanos = startNanos;
    }
}
