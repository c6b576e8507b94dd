package dev.querylens.core;

import dev.querylens.core.sql.Fingerprint;
import dev.querylens.core.sql.ParsedSql;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.proxy.ParameterSetOperation;

import java.util.Arrays;
import java.util.List;

/**
 * The statement path: datasource-proxy calls {@link #afterQuery} after every JDBC execution. It takes no lock,
 * looks up no meter, walks no stack (except once when a finding is first made) and allocates only when a unit
 * of work meets a new fingerprint. Nothing thrown here reaches the application.
 */
final class StatementRecorder implements QueryExecutionListener {

    private final QueryLens lens;

    StatementRecorder(QueryLens lens) {
        this.lens = lens;
    }

    @Override
    public void beforeQuery(ExecutionInfo execution, List<QueryInfo> queries) {
    }

    @Override
    public void afterQuery(ExecutionInfo execution, List<QueryInfo> queries) {
        try {
            WorkState work = lens.current.get();
            if (work == QueryLens.SUPPRESSED) {
                return;
            }
            for (int i = 0, n = queries.size(); i < n; i++) {
                QueryInfo query = queries.get(i);
                ParsedSql sql = lens.fingerprinter.parse(query.getQuery());
                if (work == null) {
                    lens.meters.none().statements[sql.fingerprint().operation().ordinal()].increment();
                } else {
                    record(work, sql, execution, query);
                }
                ExplainSampler sampler = lens.sampler;
                if (sampler != null) {
                    sampler.onStatement(work, sql, execution, query);
                }
                StatementObserver observer = lens.observer;
                if (observer != null) {
                    observer.onStatement(work == null ? QueryLensMeters.NO_ENDPOINT : work.endpoint, sql, execution, query);
                }
            }
            if (work != null) {
                work.dbNanos += execution.getElapsedTime();
            }
        } catch (Throwable t) {
            lens.errors.report("statement", t);
        }
    }

    private void record(WorkState work, ParsedSql sql, ExecutionInfo execution, QueryInfo query) {
        Fingerprint fp = sql.fingerprint();
        work.operationCounts[fp.operation().ordinal()]++;
        work.statements++;
        if (execution.isBatch() || fp.operation() != Operation.SELECT) {
            // a batch is one round trip by design, and only reads can be N+1 or duplicates
            return;
        }
        StatementStats stats = work.stats.get(fp);
        if (stats == null) {
            if (work.stats.size() >= lens.config.unitMaxFingerprints()) {
                work.untracked++;
                return;
            }
            stats = new StatementStats(fp, work.lastSelect);
            work.stats.put(fp, stats);
        }
        work.lastSelect = stats;

        long keyHash = 0;
        long fullHash = 0;
        List<List<ParameterSetOperation>> parameters = query.getParametersList();
        if (!parameters.isEmpty()) {
            List<ParameterSetOperation> ops = parameters.get(0);
            long pagingMask = sql.pagingBindMask();
            for (int i = 0, n = ops.size(); i < n; i++) {
                ParameterSetOperation op = ops.get(i);
                Object[] args = op.getArgs();
                if (args == null || args.length == 0) {
                    continue;
                }
                long h = mix(op.getMethod().getName().hashCode() * 31L + hashOf(args[0]))
                        ^ mix(args.length > 1 ? hashOf(args[1]) : 0);
                // a sum does not depend on the order in which the setters were called
                fullHash += h;
                if (!isPaging(args[0], pagingMask)) {
                    keyHash += h;
                }
            }
        }
        long key = mix(sql.literalKey() ^ mix(keyHash));
        long full = mix(sql.literalAll() ^ mix(fullHash));
        int sameValues = stats.observe(key, full);

        QueryLensConfig config = lens.config;
        if (!stats.nPlusOne && stats.keysVary && stats.count >= config.nPlusOneThreshold() && !fp.batchFetch()) {
            stats.nPlusOne = true;
            stats.nPlusOneCallSite = lens.callSites.capture();
            work.anyFinding = true;
        }
        if (!stats.duplicate && sameValues >= config.duplicatesThreshold()) {
            stats.duplicate = true;
            stats.duplicateCallSite = lens.callSites.capture();
            work.anyFinding = true;
        }
    }

    private static boolean isPaging(Object index, long pagingMask) {
        if (pagingMask != 0 && index instanceof Integer i) {
            int bit = i - 1;
            return bit >= 0 && bit < 64 && (pagingMask & (1L << bit)) != 0;
        }
        return false;
    }

    /** Value hash for plain values; identity for streams, LOBs and other objects whose own hash may be costly. */
    private static int hashOf(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof Character
                || v instanceof java.util.Date || v instanceof java.time.temporal.TemporalAccessor
                || v instanceof java.util.UUID || v instanceof Enum) {
            return v.hashCode();
        }
        if (v instanceof byte[] bytes) {
            return bytes.length <= 4096 ? Arrays.hashCode(bytes) : System.identityHashCode(bytes);
        }
        return System.identityHashCode(v);
    }

    /** A 64-bit finaliser (from SplitMix64) so that sums of hashes do not cancel out. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
