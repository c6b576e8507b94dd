package dev.querylens.spring;

import dev.querylens.core.CarriedUnit;
import dev.querylens.core.QueryLens;
import io.micrometer.context.ThreadLocalAccessor;

import java.util.ArrayDeque;

/**
 * The unit of work as a thread-local value of Micrometer's context-propagation library: Spring's
 * {@code ContextPropagatingTaskDecorator}, Reactor and {@code ContextSnapshot.wrap(...)} then carry it to the thread
 * that runs the work ({@link QueryLens#carry()} where the snapshot is taken, {@link QueryLens#attach} where it is
 * restored). Registered under a key of its own per {@link QueryLens}, so that two applications in one JVM do not
 * replace each other's.
 */
final class QueryLensThreadLocalAccessor implements ThreadLocalAccessor<CarriedUnit> {

    /** Prefix of the key; the {@link QueryLens} instance's identity follows. */
    static final String KEY_PREFIX = "querylens.unit-of-work.";

    private final QueryLens lens;
    private final String key;
    /** The scopes of the values set on this thread and not yet restored, innermost first. */
    private final ThreadLocal<ArrayDeque<CarriedUnit.Scope>> scopes = ThreadLocal.withInitial(ArrayDeque::new);

    QueryLensThreadLocalAccessor(QueryLens lens) {
        this.lens = lens;
        this.key = KEY_PREFIX + Integer.toHexString(System.identityHashCode(lens));
    }

    @Override
    public Object key() {
        return key;
    }

    @Override
    public CarriedUnit getValue() {
        try {
            return lens.carry();
        } catch (Throwable t) {
            FailOpen.report(lens, "context-propagation", t);
            return null;
        }
    }

    @Override
    public void setValue(CarriedUnit value) {
        attach(value);
    }

    /** No unit where the snapshot was taken: the work runs outside any unit. */
    @Override
    public void setValue() {
        attach(null);
    }

    /** Pushes one scope whatever happens, so that each {@link #restore()} pops the one its set pushed. */
    private void attach(CarriedUnit value) {
        CarriedUnit.Scope scope = CarriedUnit.Scope.NOOP;
        try {
            scope = lens.attach(value);
        } catch (Throwable t) {
            FailOpen.report(lens, "context-propagation", t);
        }
        try {
            scopes.get().push(scope);
        } catch (Throwable t) {
            FailOpen.report(lens, "context-propagation", t);
        }
    }

    @Override
    public void restore(CarriedUnit previousValue) {
        restore();
    }

    @Override
    public void restore() {
        try {
            ArrayDeque<CarriedUnit.Scope> stack = scopes.get();
            CarriedUnit.Scope scope = stack.poll();
            if (stack.isEmpty()) {
                scopes.remove();
            }
            if (scope != null) {
                scope.close();
            }
        } catch (Throwable t) {
            FailOpen.report(lens, "context-propagation", t);
        }
    }
}
