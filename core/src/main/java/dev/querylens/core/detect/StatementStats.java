package dev.querylens.core.detect;

import dev.querylens.core.sql.Fingerprint;

/**
 * What one unit of work saw of one fingerprint, as the rules read it. Confined to one thread of the unit (see
 * {@link Detector#merge} for units that run on several). Distinct value signatures are
 * counted in a small open-addressing table of at most {@link #MAX_SIGNATURES} entries; past that, new values still
 * count towards N+1 but can no longer make a duplicate.
 */
public final class StatementStats {
    static final int MAX_SIGNATURES = 64;

    final Fingerprint fingerprint;
    /**
     * The SELECT that ran last before this fingerprint's first execution; the N+1 parent is found from here. Only
     * reassigned when the parts of a unit that ran on several threads are merged.
     */
    StatementStats previousSelect;
    int count;
    private long firstKey;
    boolean keysVary;

    private long[] signatures;
    private int[] signatureCounts;
    private int signatureSize;
    int maxSameValues;

    /** Bit {@code r} is set once rule {@code r} of the {@link Detector} was broken (at most 64 rules). */
    private long broken;
    /** Where each broken rule was broken; made when the first rule breaks. */
    private String[] callSites;

    StatementStats(Fingerprint fingerprint, StatementStats previousSelect) {
        this.fingerprint = fingerprint;
        this.previousSelect = previousSelect;
    }

    boolean broke(int rule) {
        return (broken & (1L << rule)) != 0;
    }

    boolean brokeAny() {
        return broken != 0;
    }

    void markBroken(int rule, int rules, String callSite) {
        broken |= 1L << rule;
        if (callSites == null) {
            callSites = new String[rules];
        }
        callSites[rule] = callSite;
    }

    String callSite(int rule) {
        return callSites == null ? null : callSites[rule];
    }

    /** Records one execution; returns how many times this exact value signature has now run. */
    int observe(long key, long full) {
        if (count++ == 0) {
            firstKey = key;
        } else if (key != firstKey) {
            keysVary = true;
        }
        return countSignature(full, 1);
    }

    /**
     * Adds what another thread of the same unit of work saw of this fingerprint (see {@link Detector#merge}): the
     * executions, whether their keys varied, their value signatures and the rules they broke.
     */
    void absorb(StatementStats other) {
        if (other.count == 0) {
            return;
        }
        if (count == 0) {
            firstKey = other.firstKey;
            keysVary = other.keysVary;
        } else if (other.keysVary || other.firstKey != firstKey) {
            keysVary = true;
        }
        count += other.count;
        if (other.signatures != null) {
            for (int j = 0; j < other.signatures.length; j++) {
                if (other.signatureCounts[j] != 0) {
                    countSignature(other.signatures[j], other.signatureCounts[j]);
                }
            }
        }
        if (other.broken != 0) {
            if (callSites == null) {
                callSites = new String[other.callSites.length];
            }
            for (int r = 0; r < other.callSites.length; r++) {
                if ((other.broken & (1L << r)) != 0 && !broke(r)) {
                    callSites[r] = other.callSites[r];
                }
            }
            broken |= other.broken;
        }
    }

    /** Any call site recorded for this statement, for a rule first broken when parts were merged. */
    String anyCallSite() {
        if (callSites != null) {
            for (String site : callSites) {
                if (site != null) {
                    return site;
                }
            }
        }
        return null;
    }

    /** Counts {@code times} executions with the value signature {@code full}; returns its count so far. */
    private int countSignature(long full, int times) {
        int same = addSignature(full, times);
        if (same > maxSameValues) {
            maxSameValues = same;
        }
        return same;
    }

    private int addSignature(long full, int times) {
        if (signatures == null) {
            signatures = new long[8];
            signatureCounts = new int[8];
        }
        int mask = signatures.length - 1;
        int i = (int) (full ^ (full >>> 32)) & mask;
        while (signatureCounts[i] != 0) {
            if (signatures[i] == full) {
                return signatureCounts[i] += times;
            }
            i = (i + 1) & mask;
        }
        if (signatureSize >= MAX_SIGNATURES) {
            return times;
        }
        signatures[i] = full;
        signatureCounts[i] = times;
        if (++signatureSize * 2 > signatures.length) {
            grow();
        }
        return times;
    }

    private void grow() {
        long[] oldSignatures = signatures;
        int[] oldCounts = signatureCounts;
        signatures = new long[oldSignatures.length * 2];
        signatureCounts = new int[oldSignatures.length * 2];
        int mask = signatures.length - 1;
        for (int j = 0; j < oldSignatures.length; j++) {
            if (oldCounts[j] != 0) {
                int i = (int) (oldSignatures[j] ^ (oldSignatures[j] >>> 32)) & mask;
                while (signatureCounts[i] != 0) {
                    i = (i + 1) & mask;
                }
                signatures[i] = oldSignatures[j];
                signatureCounts[i] = oldCounts[j];
            }
        }
    }

    /**
     * The query the loop iterates over: the last SELECT before this one first ran, skipping SELECTs that were
     * themselves repeated (siblings in the same loop); when every one was repeated, the last SELECT before it.
     * At most {@code maxSteps} steps back.
     */
    StatementStats parent(int maxSteps) {
        StatementStats p = previousSelect;
        for (int i = 0; p != null && i < maxSteps; i++) {
            if (p.count == 1) {
                return p;
            }
            p = p.previousSelect;
        }
        return previousSelect;
    }
}
