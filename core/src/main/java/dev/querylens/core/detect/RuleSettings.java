package dev.querylens.core.detect;

/**
 * What the rules are configured with (from {@code QueryLensConfig}).
 *
 * @param nPlusOneThreshold   {@code querylens.nplusone.threshold}
 * @param duplicatesThreshold {@code querylens.duplicates.threshold}
 * @param unitMaxFingerprints {@code querylens.unit.max-fingerprints}: distinct statements analysed per unit of work
 * @param unbatchedWritesThreshold {@code querylens.unbatched-writes.threshold}
 */
public record RuleSettings(int nPlusOneThreshold, int duplicatesThreshold, int unitMaxFingerprints,
                           int unbatchedWritesThreshold) {
}
