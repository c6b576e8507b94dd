package dev.querylens.core;

import dev.querylens.core.detect.DetectionState;
import dev.querylens.core.explain.ExplainSampler;
import dev.querylens.core.sql.Operation;

import java.util.List;

/**
 * The state of one {@link UnitOfWork}: its name, tallies, what the rules track and the statements it sampled for
 * EXPLAIN. Confined to the thread that runs it; published to meters when it ends. A {@link UnitOfWork} handed out
 * by {@link QueryLens#begin} is a handle on one of these (joined handles share it).
 */
final class UnitOfWorkState {
    String endpoint;
    /** Open handles: the unit ends when the handle that began it closes. */
    int depth = 1;
    final int[] operationCounts = new int[Operation.values().length];
    int statements;
    long dbNanos;
    final DetectionState detection = new DetectionState();
    /**
     * Statements sampled for EXPLAIN in this unit, handed to the sampler when the unit ends so that findings carry
     * the unit's final endpoint name. Rarely more than one: sampling is rate-limited per statement and per minute.
     */
    List<ExplainSampler.Task> pendingExplains;

    UnitOfWorkState(String endpoint) {
        this.endpoint = endpoint;
    }
}
