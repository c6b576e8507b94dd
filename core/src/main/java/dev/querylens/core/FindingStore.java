package dev.querylens.core;

import dev.querylens.core.detect.Finding;
import dev.querylens.core.detect.FindingKind;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The findings of one {@link QueryLens}, aggregated per kind, endpoint and statement. Bounded by
 * {@code querylens.findings.max}: when a new problem arrives and the store is full, the entry found in the fewest
 * units of work (the oldest among equals) is dropped. Only the finding path writes here, never the statement path.
 */
public final class FindingStore {

    private record Key(FindingKind kind, String endpoint, String sql) {
    }

    /** Mutable aggregate; written under its own monitor, which only units of work with a finding ever take. */
    private static final class Entry {
        final Finding first;
        final Instant firstSeen;
        Finding latest;
        // volatile: eviction compares entries without taking their monitors
        volatile long occurrences;
        int maxCount;
        long totalCount;
        volatile Instant lastSeen;
        long lastLoggedNanos;
        boolean logged;

        Entry(Finding first, Instant now) {
            this.first = first;
            this.latest = first;
            this.firstSeen = now;
            this.lastSeen = now;
        }

        synchronized FindingSummary summary() {
            return new FindingSummary(first.kind(), first.endpoint(), latest.table(), first.sql(),
                    latest.parentQuery(), latest.callSite(), latest.hint(), latest.details(), occurrences,
                    latest.count(), maxCount, totalCount, firstSeen, lastSeen);
        }
    }

    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final int max;
    private final Clock clock;
    private final long logIntervalNanos;

    FindingStore(int max, long logIntervalNanos, Clock clock) {
        this.max = max;
        this.logIntervalNanos = logIntervalNanos;
        this.clock = clock;
    }

    /**
     * Adds one finding.
     *
     * @return true when a WARN line should be written for it: the first time, then at most once per log interval
     */
    boolean record(Finding finding, long nowNanos) {
        Key key = new Key(finding.kind(), finding.endpoint(), finding.sql());
        Entry entry = entries.get(key);
        Instant now = clock.instant();
        if (entry == null) {
            entry = new Entry(finding, now);
            Entry raced = entries.putIfAbsent(key, entry);
            if (raced != null) {
                entry = raced;
            } else if (entries.size() > max) {
                evictOne(key);
            }
        }
        synchronized (entry) {
            entry.latest = finding;
            entry.occurrences++;
            entry.maxCount = Math.max(entry.maxCount, finding.count());
            entry.totalCount += finding.count();
            entry.lastSeen = now;
            if (!entry.logged || nowNanos - entry.lastLoggedNanos >= logIntervalNanos) {
                entry.logged = true;
                entry.lastLoggedNanos = nowNanos;
                return true;
            }
            return false;
        }
    }

    private void evictOne(Key keep) {
        Map.Entry<Key, Entry> victim = null;
        for (Map.Entry<Key, Entry> e : entries.entrySet()) {
            if (e.getKey().equals(keep)) {
                continue;
            }
            if (victim == null || weaker(e.getValue(), victim.getValue())) {
                victim = e;
            }
        }
        if (victim != null) {
            entries.remove(victim.getKey(), victim.getValue());
        }
    }

    private static boolean weaker(Entry a, Entry b) {
        long ao = a.occurrences;
        long bo = b.occurrences;
        return ao < bo || (ao == bo && a.lastSeen.isBefore(b.lastSeen));
    }

    /** Every finding, most impact first (most executions over all units of work, then most recent). */
    public List<FindingSummary> findings() {
        List<FindingSummary> out = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            out.add(e.summary());
        }
        out.sort(Comparator.comparingLong(FindingSummary::totalCount).reversed()
                .thenComparing(FindingSummary::lastSeen, Comparator.reverseOrder()));
        return out;
    }

    /** Number of distinct findings held. */
    public int size() {
        return entries.size();
    }

    /** Forgets everything (tests, or a user's reset). */
    public void clear() {
        entries.clear();
    }
}
