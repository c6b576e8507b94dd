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
    /** Executions that carried two or more keys in one list or array. */
    int manyKeyExecutions;
    private long firstOutside;
    /** True when the values outside the key lists differed between executions that carried many keys. */
    boolean outsideVaries;
    /**
     * Executions whose exact values had already run in this unit (since the last restart of duplicate counting):
     * the same rows asked for again. They make a duplicate, not a loop over keys, so the N+1 rule leaves them out.
     */
    int exactRepeats;
    /** Writes run one at a time: not in a JDBC batch, not set-based. */
    int singleWrites;
    /** The unit's write count when this statement last ran: a later write may restart its duplicate count. */
    int writesSeen;

    private long[] signatures;
    private int[] signatureCounts;
    private int signatureSize;
    int maxSameValues;

    /** Bit {@code r} is set once rule {@code r} of the {@link Detector} was broken (at most 64 rules). */
    private long broken;
    /** Where each broken rule was broken; made when the first rule breaks. */
    private CallSite[] callSites;

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

    void markBroken(int rule, int rules, CallSite callSite) {
        broken |= 1L << rule;
        if (callSites == null) {
            callSites = new CallSite[rules];
        }
        callSites[rule] = callSite;
    }

    CallSite callSite(int rule) {
        return callSites == null || callSites[rule] == null ? CallSite.UNKNOWN : callSites[rule];
    }

    /**
     * Records one execution; returns how many times this exact value signature has now run.
     *
     * @param key      hash of the values that tell which rows were asked for (paging and keyset values left out)
     * @param full     hash of every value and the DataSource: what makes a duplicate
     * @param manyKeys whether the execution carried two or more keys in one list or array
     * @param outside  hash of the key values outside lists and arrays of many keys
     */
    int observe(long key, long full, boolean manyKeys, long outside) {
        if (count++ == 0) {
            firstKey = key;
        } else if (key != firstKey) {
            keysVary = true;
        }
        if (manyKeys) {
            if (manyKeyExecutions++ == 0) {
                firstOutside = outside;
            } else if (outside != firstOutside) {
                outsideVaries = true;
            }
        }
        int same = countSignature(full, 1);
        if (same > 1) {
            exactRepeats++;
        }
        return same;
    }

    /** Executions that asked for values not already asked for (exact repeats left out). */
    int distinctExecutions() {
        return count - exactRepeats;
    }

    /**
     * True when the executions so far are a batch fetch rather than a loop over keys: some carried many keys, the
     * values outside their lists stayed the same, and fewer than {@code threshold} carried one key or none (the
     * remainder of a batch fetch: 16, 16, 16, then 1).
     */
    boolean batchFetch(int threshold) {
        return manyKeyExecutions > 0 && !outsideVaries && count - manyKeyExecutions < threshold;
    }

    /** Forgets which values ran how often: what ran before a write to its table is no duplicate of what runs after. */
    void restartDuplicates() {
        if (signatures != null) {
            java.util.Arrays.fill(signatureCounts, 0);
            signatureSize = 0;
        }
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
        // repeats across two threads' parts are not told apart: counted as distinct, the side of finding the loop
        exactRepeats += other.exactRepeats;
        if (other.manyKeyExecutions > 0) {
            if (manyKeyExecutions == 0) {
                firstOutside = other.firstOutside;
                outsideVaries = other.outsideVaries;
            } else if (other.outsideVaries || other.firstOutside != firstOutside) {
                outsideVaries = true;
            }
            manyKeyExecutions += other.manyKeyExecutions;
        }
        singleWrites += other.singleWrites;
        if (other.signatures != null) {
            for (int j = 0; j < other.signatures.length; j++) {
                if (other.signatureCounts[j] != 0) {
                    countSignature(other.signatures[j], other.signatureCounts[j]);
                }
            }
        }
        if (other.broken != 0) {
            if (callSites == null) {
                callSites = new CallSite[other.callSites.length];
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
    CallSite anyCallSite() {
        if (callSites != null) {
            for (CallSite site : callSites) {
                if (site != null) {
                    return site;
                }
            }
        }
        return CallSite.UNKNOWN;
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
