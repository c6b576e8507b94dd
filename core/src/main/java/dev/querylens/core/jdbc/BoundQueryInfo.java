package dev.querylens.core.jdbc;

import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.proxy.ParameterSetOperation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@link QueryInfo} that {@link DelegatingJdbcProxyFactory}'s statements pass to listeners: the SQL, and the
 * parameters as hashes computed when they were set ({@link #bindHash()}). {@link #getParametersList()} builds
 * datasource-proxy's list of {@link ParameterSetOperation}s on the first call only, so a listener that never asks
 * (Querylens's recorder, for every statement it does not sample) costs nothing for it.
 *
 * <p>Reused for the next execution on the same connection: read it during the listener call, do not keep it.
 */
public final class BoundQueryInfo extends QueryInfo {

    private final List<List<ParameterSetOperation>> parameters = new ArrayList<>(1);
    /** The current parameters of a single execution of a prepared statement; null for a plain statement or a batch. */
    private BindValues binds;
    /** The rows of a prepared statement's batch; null otherwise. */
    private List<BindValues> batchRows;
    private boolean built;

    BoundQueryInfo() {
    }

    /** Points this at one execution's SQL and parameters. */
    void reset(String sql, BindValues binds, List<BindValues> batchRows) {
        setQuery(sql);
        this.binds = binds;
        this.batchRows = batchRows;
        if (built) {
            built = false;
            parameters.clear();
            super.setParametersList(parameters);
        }
    }

    /**
     * The sum of the {@link BindHash} of every parameter set for this execution (0 for a plain statement or
     * a batch): equal to the sum of {@link BindHash#of(ParameterSetOperation)} over the first entry of
     * {@link #getParametersList()}.
     */
    public long bindHash() {
        BindValues b = binds;
        return b == null ? 0 : b.hashSum();
    }

    /**
     * {@link #bindHash()} without the parameters at the given indexes: bit {@code b} of {@code indexMask} stands for
     * parameter index {@code b + 1}.
     */
    public long bindHashExcept(long indexMask) {
        BindValues b = binds;
        return b == null ? 0 : b.hashSumExcept(indexMask);
    }

    /** The parameters of a single execution one by one; {@link BoundValues#NONE} for a plain statement or a batch. */
    public BoundValues values() {
        BindValues b = binds;
        return b == null ? BoundValues.NONE : b;
    }

    @Override
    public List<List<ParameterSetOperation>> getParametersList() {
        if (!built) {
            built = true;
            parameters.clear();
            if (binds != null) {
                parameters.add(binds.toOperations());
            } else if (batchRows != null) {
                for (int i = 0, n = batchRows.size(); i < n; i++) {
                    parameters.add(batchRows.get(i).toOperations());
                }
            }
            super.setParametersList(parameters);
        }
        return super.getParametersList();
    }

    @Override
    public void setParametersList(List<List<ParameterSetOperation>> parametersList) {
        built = true;
        super.setParametersList(parametersList);
    }

    @Override
    @Deprecated
    @SuppressWarnings("deprecation")
    public List<Map<String, Object>> getQueryArgsList() {
        getParametersList();
        return super.getQueryArgsList();
    }
}
