package dev.querylens.testapps.work;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@code @Scheduled} job with the N+1, on a bean that Spring proxies (CGLIB, for {@code @Transactional}): its runs
 * are units named by this class, not by the proxy's. Runs its SQL on its first {@value #RUNS_WITH_SQL} runs only, so
 * that the totals a test reads stop moving.
 */
@Component
@Transactional(readOnly = true)
public class NightlyReport {

    static final int RUNS_WITH_SQL = 2;

    private final Library library;
    private final AtomicInteger runs = new AtomicInteger();

    public NightlyReport(Library library) {
        this.library = library;
    }

    @Scheduled(initialDelayString = "${work.scheduled.initial-delay:1000}", fixedDelayString = "${work.scheduled.delay:300}")
    public void run() {
        if (runs.incrementAndGet() <= RUNS_WITH_SQL) {
            library.report();
        }
    }
}
