package dev.querylens.core;

import dev.querylens.core.sql.SqlErrors;
import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Counts every failure caught inside Querylens and logs the first one of each place, so a bug cannot flood logs. */
final class InternalErrors {
    private static final Logger log = LoggerFactory.getLogger(QueryLens.class);
    /** Bounds the places remembered; places are code locations, so the bound is never reached in practice. */
    private static final int MAX_PLACES = 64;

    private final Counter counter;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    InternalErrors(Counter counter) {
        this.counter = counter;
    }

    /** Never throws. {@code place} names where it happened, e.g. {@code "statement"} or {@code "unit-end"}. */
    void report(String place, Throwable error) {
        try {
            counter.increment();
            if (logged.size() < MAX_PLACES && logged.add(place)) {
                // a driver's message can hold statement text and bind values: its codes only
                Throwable shown = SqlErrors.withoutMessages(error);
                log.warn("[querylens] internal error in {} (the application's statement was not affected; "
                        + "later errors here are only counted in {}): {}", place, QueryLensMeters.INTERNAL_ERRORS,
                        shown.toString(), shown);
            }
        } catch (Throwable ignored) {
            // the error path itself must not fail the application
        }
    }
}
