package dev.querylens.core.detect;

import dev.querylens.core.sql.Fingerprint;

/** Names the application code that ran the statement running now, for the {@link Detector}. */
public interface CallSiteSource {

    /** Where the statement running now was called from: a stack walk. */
    CallSite capture();

    /**
     * The call site of a finding of {@code kind} that {@code statement} makes now. A source that keeps findings
     * answers with the call site of the one it already holds for the same unit of work's endpoint, kind and
     * statement, without walking the stack; else {@link #capture()}.
     */
    default CallSite forFinding(FindingKind kind, Fingerprint statement) {
        return capture();
    }
}
