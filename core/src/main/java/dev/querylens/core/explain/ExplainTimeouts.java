package dev.querylens.core.explain;

import java.time.Duration;

/**
 * How long one {@code EXPLAIN} may take and wait for a lock. Planning needs a table's metadata lock (MySQL,
 * MariaDB) or an {@code AccessShareLock} (PostgreSQL): behind a running {@code ALTER TABLE} it would wait, and
 * the sampler must give up instead.
 *
 * @param statement the longest the EXPLAIN may run
 * @param lock      the longest it may wait for a lock
 */
public record ExplainTimeouts(Duration statement, Duration lock) {

    /** Two seconds to run, half a second to wait for a lock. */
    public static final ExplainTimeouts DEFAULT = new ExplainTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500));

    public ExplainTimeouts {
        if (statement == null || lock == null || statement.isNegative() || statement.isZero()
                || lock.isNegative() || lock.isZero()) {
            throw new IllegalArgumentException("explain timeouts must be positive: " + statement + ", " + lock);
        }
    }
}
