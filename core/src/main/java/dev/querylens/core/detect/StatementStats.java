package dev.querylens.core.detect;

import dev.querylens.core.sql.Fingerprint;

/**
 * What one unit of work saw of one fingerprint, as the rules read it. Confined to the unit's thread. Distinct value signatures are
 * counted in a small open-addressing table of at most {@link #MAX_SIGNATURES} entries; past that, new values still
 * count towards N+1 but can no longer make a duplicate.
 */
public final class StatementStats {
    static final int MAX_SIGNATURES = 64;

    final Fingerprint fingerprint;
    /** The SELECT that ran last before this fingerprint's first execution; the N+1 parent is found from here. */
    final StatementStats previousSelect;
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
        int same = countSignature(full);
        if (same > maxSameValues) {
            maxSameValues = same;
        }
        return same;
    }

    private int countSignature(long full) {
        if (signatures == null) {
            signatures = new long[8];
            signatureCounts = new int[8];
        }
        int mask = signatures.length - 1;
        int i = (int) (full ^ (full >>> 32)) & mask;
        while (signatureCounts[i] != 0) {
            if (signatures[i] == full) {
                return ++signatureCounts[i];
            }
            i = (i + 1) & mask;
        }
        if (signatureSize >= MAX_SIGNATURES) {
            return 1;
        }
        signatures[i] = full;
        signatureCounts[i] = 1;
        if (++signatureSize * 2 > signatures.length) {
            grow();
        }
        return 1;
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
