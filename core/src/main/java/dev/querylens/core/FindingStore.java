package dev.querylens.core;

import dev.querylens.core.detect.CallSite;
import dev.querylens.core.detect.Finding;
import dev.querylens.core.detect.FindingKind;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The findings of one {@link QueryLens}, aggregated per kind, endpoint and statement. Bounded by
 * {@code querylens.findings.max} entries and by its share of {@code querylens.sql.text-budget} in characters of
 * text (statement, parent query, call site, details; each statement's text is at most
 * {@link dev.querylens.core.sql.Fingerprint#MAX_TEXT_LENGTH} characters): when a new problem arrives and the store is
 * over either bound, the entries found in the fewest units of work (the oldest among equals) are dropped until it is
 * not. Only the finding path writes here, never the statement path; the statement path reads a held finding's call
 * site ({@link #callSite}) once per finding and unit of work, so that a finding made again costs no stack walk.
 */
public final class FindingStore {

    /**
     * Kind, endpoint and normalized statement. Its hash is computed once: the statement path looks a key up once
     * per finding and unit of work ({@link #callSite}), and the statement is the fingerprint's canonical text,
     * usually the very instance the held key has, so that equality is decided by identity.
     */
    private static final class Key {
        final FindingKind kind;
        final String endpoint;
        final String sql;
        private final int hash;

        Key(FindingKind kind, String endpoint, String sql) {
            this.kind = kind;
            this.endpoint = endpoint;
            this.sql = sql;
            this.hash = (kind.ordinal() * 31 + Objects.hashCode(endpoint)) * 31 + Objects.hashCode(sql);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return this == o || o instanceof Key k && k.hash == hash && k.kind == kind
                    && Objects.equals(k.sql, sql) && Objects.equals(k.endpoint, endpoint);
        }
    }

    /**
     * Mutable aggregate; written under its own monitor, which only units of work with a finding ever take. Keeps the
     * latest finding only: kind, endpoint and statement are the same in all of them.
     */
    private static final class Entry {
        final Instant firstSeen;
        Finding latest;
        /** Characters of text {@link #latest} holds, as charged to the store's text budget. */
        long text;
        /** Set, under the monitor, when the entry left the store: its text is no longer charged. */
        boolean evicted;
        // volatile: eviction compares entries without taking their monitors
        volatile long occurrences;
        int maxCount;
        long totalCount;
        volatile Instant lastSeen;
        long lastLoggedNanos;
        boolean logged;

        Entry(Finding first, Instant now) {
            this.latest = first;
            this.text = textOf(first);
            this.firstSeen = now;
            this.lastSeen = now;
        }

        synchronized FindingSummary summary() {
            return new FindingSummary(latest.kind(), latest.endpoint(), latest.table(), latest.sql(),
                    latest.parentQuery(), latest.callSite(), latest.hint(), latest.details(), occurrences,
                    latest.count(), maxCount, totalCount, firstSeen, lastSeen);
        }
    }

    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final int max;
    private final long textBudget;
    /** Characters of text the entries hold. */
    private final AtomicLong textHeld = new AtomicLong();
    private final Clock clock;
    private final long logIntervalNanos;

    FindingStore(int max, long textBudget, long logIntervalNanos, Clock clock) {
        this.max = max;
        this.textBudget = textBudget;
        this.logIntervalNanos = logIntervalNanos;
        this.clock = clock;
    }

    /** The text a finding holds: its statement, parent query, call site and details (its hint is a constant). */
    static long textOf(Finding f) {
        long n = length(f.sql()) + length(f.parentQuery()) + length(f.callSite());
        for (Map.Entry<String, String> d : f.details().entrySet()) {
            n += length(d.getKey()) + length(d.getValue());
        }
        return n;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
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
            Entry fresh = new Entry(finding, now);
            Entry raced = entries.putIfAbsent(key, fresh);
            if (raced != null) {
                entry = raced;
            } else {
                entry = fresh;
                textHeld.addAndGet(fresh.text);
                if (entries.size() > max || textHeld.get() > textBudget) {
                    evict(key);
                }
            }
        }
        synchronized (entry) {
            if (!entry.evicted && entry.latest != finding) {
                long text = textOf(finding);
                textHeld.addAndGet(text - entry.text);
                entry.text = text;
            }
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

    /**
     * The call site of the finding of {@code kind} held for {@code endpoint} and the normalized statement {@code sql},
     * as its latest unit of work recorded it; {@code null} when none is held (never seen, or evicted: the next unit
     * that makes the finding walks the stack again).
     */
    CallSite callSite(FindingKind kind, String endpoint, String sql) {
        Entry entry = entries.get(new Key(kind, endpoint, sql));
        if (entry == null) {
            return null;
        }
        synchronized (entry) {
            return entry.evicted ? null : CallSite.of(entry.latest);
        }
    }

    /** Drops the weakest entries but {@code keep} until the store is within its bounds. */
    private synchronized void evict(Key keep) {
        while ((entries.size() > max || textHeld.get() > textBudget) && entries.size() > 1) {
            if (!evictOne(keep)) {
                return;
            }
        }
    }

    private boolean evictOne(Key keep) {
        Map.Entry<Key, Entry> victim = null;
        for (Map.Entry<Key, Entry> e : entries.entrySet()) {
            if (e.getKey().equals(keep)) {
                continue;
            }
            if (victim == null || weaker(e.getValue(), victim.getValue())) {
                victim = e;
            }
        }
        if (victim == null || !entries.remove(victim.getKey(), victim.getValue())) {
            return victim != null;
        }
        Entry gone = victim.getValue();
        synchronized (gone) {
            gone.evicted = true;
            textHeld.addAndGet(-gone.text);
        }
        return true;
    }

    /** Characters of text the findings hold now. */
    long textHeld() {
        return textHeld.get();
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
        textHeld.set(0);
    }
}
