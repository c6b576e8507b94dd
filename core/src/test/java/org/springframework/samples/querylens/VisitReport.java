package org.springframework.samples.querylens;

import java.util.function.Supplier;

/**
 * Application code that lives under {@code org.springframework}, like Spring PetClinic's: its frames are the
 * application's because of where the class was loaded from, not because of its package.
 */
public final class VisitReport {

    private VisitReport() {
    }

    /** Calls {@code work} from this class, so this frame is on the stack below it. */
    public static <T> T run(Supplier<T> work) {
        return work.get();
    }
}
