package dev.querylens.core.jdbc;

import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.proxy.ParameterSetOperation;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A query listener that writes down, during each call, everything datasource-proxy's contract hands a listener
 * (except the elapsed time, which differs from run to run), so that two runs can be compared line by line. For the
 * delegating wrappers it also checks, during the call, that the hashes computed as parameters were set agree with
 * the hashes of the rebuilt parameter list.
 */
final class RecordingListener implements QueryExecutionListener {

    /** Index masks whose {@code bindHashExcept} is checked against the list (paging parameters left out). */
    static final long[] MASKS = {0L, 1L, 2L, 0b101L, 1L << 63, -1L};

    final List<String> calls = new ArrayList<>();
    /** Hashes of every execution's first parameter list, from the list, in order; compared across runs. */
    final List<Long> hashes = new ArrayList<>();
    /** Disagreements between the precomputed hashes and the list's (expected: none). */
    final List<String> hashMismatches = new ArrayList<>();

    @Override
    public void beforeQuery(ExecutionInfo execution, List<QueryInfo> queries) {
        // a custom value set here must be seen in afterQuery, and never leak into the next execution
        Object previous = execution.getCustomValue("mark", Object.class);
        execution.addCustomValue("mark", "before-" + calls.size());
        calls.add("before " + describe(execution, queries, false) + " previous mark=" + previous);
    }

    @Override
    public void afterQuery(ExecutionInfo execution, List<QueryInfo> queries) {
        calls.add("after " + describe(execution, queries, true) + " mark?" + (execution.getCustomValue("mark", String.class) != null));
    }

    private String describe(ExecutionInfo e, List<QueryInfo> queries, boolean after) {
        StringBuilder sb = new StringBuilder();
        sb.append("ds=").append(e.getDataSourceName())
                .append(" conn=").append(e.getConnectionId())
                .append(" iso=").append(e.getIsolationLevel())
                .append(" type=").append(e.getStatementType())
                .append(" stmt=").append(e.getStatement() == null ? null : e.getStatement().getClass().getName())
                .append(" method=").append(e.getMethod())
                .append(" args=").append(Arrays.deepToString(e.getMethodArgs()))
                .append(" batch=").append(e.isBatch()).append('/').append(e.getBatchSize())
                .append(" keys=").append(e.getGeneratedKeys());
        if (after) {
            Object r = e.getResult();
            sb.append(" success=").append(e.isSuccess())
                    .append(" thrown=").append(e.getThrowable() == null ? null : e.getThrowable().getClass().getName())
                    .append(" result=").append(r instanceof ResultSet ? "ResultSet" : r instanceof int[] a ? Arrays.toString(a)
                            : r instanceof long[] l ? Arrays.toString(l) : String.valueOf(r));
        } else {
            sb.append(" success=").append(e.isSuccess()).append(" result=").append(e.getResult())
                    .append(" thrown=").append(e.getThrowable());
        }
        sb.append(" queries=[");
        for (QueryInfo q : queries) {
            sb.append("{sql=").append(q.getQuery()).append(" params=");
            List<List<ParameterSetOperation>> lists = q.getParametersList();
            for (List<ParameterSetOperation> ops : lists) {
                sb.append('[');
                for (ParameterSetOperation op : ops) {
                    sb.append(op.getMethod()).append(Arrays.deepToString(op.getArgs())).append(';');
                }
                sb.append(']');
            }
            sb.append('}');
            if (after && !e.isBatch() && !lists.isEmpty()) {
                checkHashes(q, lists.get(0));
            }
        }
        return sb.append(']').toString();
    }

    private void checkHashes(QueryInfo q, List<ParameterSetOperation> ops) {
        long fromList = sum(ops, 0);
        hashes.add(fromList);
        if (q instanceof BoundQueryInfo bound) {
            if (bound.bindHash() != fromList) {
                hashMismatches.add(q.getQuery() + ": bindHash " + bound.bindHash() + " != " + fromList);
            }
            for (long mask : MASKS) {
                if (bound.bindHashExcept(mask) != sum(ops, mask)) {
                    hashMismatches.add(q.getQuery() + ": bindHashExcept(" + mask + ")");
                }
            }
        }
    }

    /** The recorder's fallback: the sum over the operations, without the indexes in {@code mask}. */
    static long sum(List<ParameterSetOperation> ops, long mask) {
        long s = 0;
        for (ParameterSetOperation op : ops) {
            Object key = op.getArgs()[0];
            if (key instanceof Integer i && i >= 1 && i <= 64 && (mask & (1L << (i - 1))) != 0) {
                continue;
            }
            s += BindHash.of(op);
        }
        return s;
    }
}
