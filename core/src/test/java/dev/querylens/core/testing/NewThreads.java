package dev.querylens.core.testing;

import java.util.List;
import java.util.Set;

/**
 * The live Querylens threads started since this was made. Threads of other engines in this JVM (earlier tests) are
 * told apart by identity: only threads that were not there before count.
 */
public final class NewThreads {
    private final Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());

    /** Names of the live threads named {@code querylens...} that were not there when this was made. */
    public List<String> querylensNames() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t) && t.getName().startsWith("querylens"))
                .map(Thread::getName)
                .toList();
    }
}
