package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import io.micrometer.context.ContextRegistry;
import org.springframework.beans.factory.DisposableBean;

/**
 * Registers Querylens's {@link QueryLensThreadLocalAccessor} in context-propagation's global registry for as long as
 * the application context lives.
 */
public final class QueryLensContextPropagation implements DisposableBean {

    private final QueryLensThreadLocalAccessor accessor;

    QueryLensContextPropagation(QueryLens lens) {
        this.accessor = new QueryLensThreadLocalAccessor(lens);
        ContextRegistry.getInstance().registerThreadLocalAccessor(accessor);
    }

    /** The key the unit of work is registered under. */
    public Object key() {
        return accessor.key();
    }

    @Override
    public void destroy() {
        ContextRegistry.getInstance().removeThreadLocalAccessor((String) accessor.key());
    }
}
