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
    /** Set once making the bean failed with an error (not an exception): Querylens is then left out for good. */
    private volatile boolean failed;

    LazyQueryLens(ObjectProvider<QueryLens> provider) {
        this.provider = provider;
    }

    @Override
    public QueryLens get() {
        QueryLens l = lens;
        if (l == null && !failed) {
            try {
                l = provider.getIfUnique();
            } catch (RuntimeException e) {
                // typically asked for while it is being made; asked again at the next call
                log.debug("[querylens] QueryLens bean not available yet; going on without it", e);
                return null;
            } catch (Throwable t) {
                // a linkage error and the like: asking again on every call would fail again on the application's
                // threads
                failed = true;
                log.warn("[querylens] the QueryLens bean could not be made; the application runs on without "
                        + "Querylens: {}", t.toString(), t);
                return null;
            }
            lens = l;
        }
        return l;
    }
}
