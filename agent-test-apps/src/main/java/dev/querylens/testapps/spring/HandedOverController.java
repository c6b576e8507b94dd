package dev.querylens.testapps.spring;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Requests that hand their SQL to Spring Boot's task executor and wait for it. */
@RestController
public class HandedOverController {

    /** Tasks {@code /owners/fanout} hands over, and statements each runs. */
    static final int TASKS = 16;
    static final int STATEMENTS = 50;

    private final OwnerReport report;
    private final OwnerRepository owners;
    private final ThreadPoolTaskExecutor executor;

    public HandedOverController(OwnerReport report, OwnerRepository owners, ThreadPoolTaskExecutor executor) {
        this.report = report;
        this.owners = owners;
        this.executor = executor;
    }

    /** The owners' N+1, run by {@code CompletableFuture.supplyAsync} on the executor. */
    @GetMapping("/owners/async")
    public List<String> async() {
        return CompletableFuture.supplyAsync(report::owners, executor).join();
    }

    /** One count here, then {@value #TASKS} tasks of {@value #STATEMENTS} counts each on the executor. */
    @GetMapping("/owners/fanout")
    public long fanout() throws Exception {
        long total = owners.count();
        List<Future<Long>> tasks = new ArrayList<>();
        for (int t = 0; t < TASKS; t++) {
            tasks.add(executor.submit(() -> {
                long n = 0;
                for (int i = 0; i < STATEMENTS; i++) {
                    n += owners.count();
                }
                return n;
            }));
        }
        for (Future<Long> f : tasks) {
            total += f.get(60, TimeUnit.SECONDS);
        }
        return total;
    }

    /** The owners with their pets loaded one owner at a time: the N+1. */
    @Service
    public static class OwnerReport {
        private final OwnerRepository owners;

        public OwnerReport(OwnerRepository owners) {
            this.owners = owners;
        }

        @Transactional(readOnly = true)
        public List<String> owners() {
            return owners.findAll().stream().map(o -> o.getName() + ":" + o.getPets().size()).toList();
        }
    }
}
