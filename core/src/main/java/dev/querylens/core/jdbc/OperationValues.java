package dev.querylens.core.jdbc;

import net.ttddyy.dsproxy.proxy.ParameterSetOperation;

import java.util.List;

/**
 * {@link BoundValues} over the parameters datasource-proxy's own proxies recorded ({@link ParameterSetOperation}s):
 * the path of a connection not wrapped by {@link DelegatingJdbcProxyFactory}. Reused per thread of a unit of work.
 */
public final class OperationValues implements BoundValues {

    private List<ParameterSetOperation> ops = List.of();

    /** Points this at the first parameter set of {@code parameters}. */
    public OperationValues reset(List<List<ParameterSetOperation>> parameters) {
        ops = parameters.isEmpty() ? List.of() : parameters.get(0);
        return this;
    }

    @Override
    public int size() {
        return ops.size();
    }

    @Override
    public int parameterIndex(int i) {
        Object[] args = ops.get(i).getArgs();
        return args != null && args.length > 0 && args[0] instanceof Integer index ? index : 0;
    }

    @Override
    public long hash(int i) {
        return BindHash.of(ops.get(i));
    }

    @Override
    public boolean isNull(int i) {
        ParameterSetOperation op = ops.get(i);
        Object[] args = op.getArgs();
        return args == null || args.length < 2 || args[1] == null || op.getMethod().getName().equals("setNull");
    }

    @Override
    public Object value(int i) {
        ParameterSetOperation op = ops.get(i);
        Object[] args = op.getArgs();
        return args == null || args.length < 2 || op.getMethod().getName().equals("setNull") ? null : args[1];
    }
}
