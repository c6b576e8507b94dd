package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import dev.querylens.core.UnitOfWork;

import java.util.concurrent.Callable;

/**
 * Runs code as one unit of work, for jobs and listeners that cannot carry {@link QueryLensScope}:
 * {@code scopes.run("nightly-invoicing", this::invoice)}. For finer control, {@link QueryLens#begin(String)} in a
 * try-with-resources block does the same. Inside an open unit of work, the code joins it.
 */
public final class QueryLensScopes {

    /** Code to run that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable<E extends Exception> {
        void run() throws E;
    }

    private final QueryLens lens;

    public QueryLensScopes(QueryLens lens) {
        this.lens = lens;
    }

    /** Runs {@code body} as a unit of work recorded under {@code name}. */
    public <E extends Exception> void run(String name, ThrowingRunnable<E> body) throws E {
        try (UnitOfWork work = lens.begin(name)) {
            body.run();
        }
    }

    /** Calls {@code body} as a unit of work recorded under {@code name} and returns its result. */
    public <T> T call(String name, Callable<T> body) throws Exception {
        try (UnitOfWork work = lens.begin(name)) {
            return body.call();
        }
    }
}
