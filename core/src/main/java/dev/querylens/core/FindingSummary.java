package dev.querylens.core;

import dev.querylens.core.detect.FindingKind;

import java.time.Instant;
import java.util.Map;

/**
 * What the {@link FindingStore} knows of one problem (kind, endpoint and statement) over all units of work.
 *
 * @param occurrences units of work in which it was found
 * @param lastCount   executions in the most recent of them
 * @param maxCount    most executions in one of them
 * @param totalCount  executions over all of them: the ranking's measure of impact
 */
public record FindingSummary(FindingKind kind, String endpoint, String table, String sql, String parentQuery,
                             String callSite, String hint, Map<String, String> details, long occurrences,
                             int lastCount, int maxCount, long totalCount, Instant firstSeen, Instant lastSeen) {
}
