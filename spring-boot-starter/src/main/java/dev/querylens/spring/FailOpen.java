package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import dev.querylens.core.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Where the starter's own code (interceptors, filters, post-processors) catches a failure of its own: counted in
 * {@code querylens.internal.errors} when the QueryLens bean is there, logged once per place in any case. Never throws.
 */
final class FailOpen {

    private static final Logger log = LoggerFactory.getLogger(QueryLens.class);
    /** Places are code locations: a handful. The bound only guards against a bug passing made-up ones. */
    private static final int MAX_PLACES = 64;
    private static final Set<String> logged = ConcurrentHashMap.newKeySet();

    private FailOpen() {
    }

    /**
     * Begins the unit of work of an application call (a {@link QueryLensScope} method, a job run, a message), named by
     * {@code name}: {@link UnitOfWork#NOOP} when the QueryLens bean is not there, or when anything failed. Never
     * throws.
     */
    static UnitOfWork begin(Supplier<QueryLens> lens, String place, Supplier<String> name) {
        QueryLens l = null;
        try {
            l = lens.get();
            return l == null ? UnitOfWork.NOOP : l.begin(name.get());
        } catch (Throwable t) {
            report(l, place, t);
            return UnitOfWork.NOOP;
        }
    }

    /** Ends what {@link #begin} returned. Never throws. */
    static void end(UnitOfWork work, String place) {
        try {
            work.close();
        } catch (Throwable t) {
            report(null, place, t);
        }
    }

    /** {@code lens} may be {@code null} (it is the part that failed, or not made yet). */
    static void report(QueryLens lens, String place, Throwable error) {
        try {
            if (lens != null) {
                // counts, and logs once per place
                lens.internalError(place, error);
                return;
            }
            if (logged.size() < MAX_PLACES && logged.add(place)) {
                log.warn("[querylens] internal error in {} (the application's call was not affected; later errors "
                        + "here are not logged): {}", place, error.toString(), error);
            }
        } catch (Throwable ignored) {
            // the error path itself must not fail the application
        }
    }
}
