package dev.querylens.core.explain;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Logs each kind of sampling problem once, so that a failing database cannot flood the log. At most 64 kinds. */
final class ProblemLog {
    private static final Logger log = LoggerFactory.getLogger(ExplainSampler.class);
    private static final int MAX_KINDS = 64;

    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    void once(String kind, String message) {
        if (logged.size() < MAX_KINDS && logged.add(kind)) {
            log.warn("[querylens] {}", message);
        }
    }
}
