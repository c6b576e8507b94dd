package dev.querylens.core.explain;

import java.time.Duration;

/**
 * How the {@link ExplainSampler} samples (from the {@code querylens.explain.*} and
 * {@code querylens.seqscan.min-rows} settings).
 *
 * @param interval          the least time between two samples of one statement
 * @param maxPerMinute      samples per minute over all statements
 * @param queueSize         sampled statements waiting for the background thread
 * @param connectionTimeout the longest the sampler waits for a connection of its own
 * @param timeouts          how long one EXPLAIN may run and wait for a lock
 * @param seqScanMinRows    tables smaller than this are never reported
 */
public record ExplainSettings(Duration interval, int maxPerMinute, int queueSize, Duration connectionTimeout,
                              ExplainTimeouts timeouts, long seqScanMinRows) {
}
