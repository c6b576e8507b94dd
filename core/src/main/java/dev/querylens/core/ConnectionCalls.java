package dev.querylens.core;

import net.ttddyy.dsproxy.listener.MethodExecutionContext;
import net.ttddyy.dsproxy.listener.MethodExecutionListener;

/**
 * The connection calls the rules need besides statements: {@code createArrayOf} (so that an array bound to
 * {@code = ANY (?)} is known by its element count), and {@code setSchema} / {@code setCatalog} (what later statements
 * read changes, so duplicate counting restarts). One method-name comparison per JDBC call; nothing thrown here
 * reaches the application.
 */
final class ConnectionCalls implements MethodExecutionListener {

    private final CurrentUnit units;
    private final InternalErrors errors;

    ConnectionCalls(CurrentUnit units, InternalErrors errors) {
        this.units = units;
        this.errors = errors;
    }

    @Override
    public void beforeMethod(MethodExecutionContext context) {
    }

    @Override
    public void afterMethod(MethodExecutionContext context) {
        try {
            String name = context.getMethod().getName();
            boolean array = name.equals("createArrayOf");
            if (!array && !name.equals("setSchema") && !name.equals("setCatalog")) {
                return;
            }
            UnitOfWorkState unit = units.get();
            if (unit == null || unit == CurrentUnit.SUPPRESSED || context.getThrown() != null) {
                return;
            }
            Object[] args = context.getMethodArgs();
            if (array) {
                Object result = context.getResult();
                if (result != null && args != null && args.length == 2 && (args[1] == null || args[1] instanceof Object[])) {
                    unit.detection.arrays.record(result, (Object[]) args[1]);
                }
            } else {
                unit.detection.schemaChanged();
            }
        } catch (Throwable t) {
            errors.report("connection-call", t);
        }
    }
}
