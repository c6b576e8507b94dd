package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

import java.util.function.Supplier;

/**
 * The QueryLens bean, looked up at first use rather than when the post-processors are made, so that wrapping
 * DataSources or proxying {@link QueryLensScope} beans never forces the QueryLens and MeterRegistry beans into
 * existence early; then kept, so that the statement path never asks the bean factory again. While it cannot be
 * had yet (asked for while it is itself being created), {@link #get()} answers {@code null} and the caller goes on
 * without Querylens.
 */
final class LazyQueryLens implements Supplier<QueryLens> {

    private static final Logger log = LoggerFactory.getLogger(LazyQueryLens.class);

    private final ObjectProvider<QueryLens> provider;
    private volatile QueryLens lens;

    LazyQueryLens(ObjectProvider<QueryLens> provider) {
        this.provider = provider;
    }

    @Override
    public QueryLens get() {
        QueryLens l = lens;
        if (l == null) {
            try {
                l = provider.getIfUnique();
            } catch (RuntimeException e) {
                log.debug("[querylens] QueryLens bean not available yet; going on without it", e);
                return null;
            }
            lens = l;
        }
        return l;
    }
}
