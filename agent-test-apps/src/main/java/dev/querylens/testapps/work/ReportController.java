package dev.querylens.testapps.work;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Requests that hand their SQL to other threads, and what the tests need to drive the rest. */
@RestController
public class ReportController {

    /** Tasks {@code /reports/fanout} hands to the pool, and statements each runs. */
    static final int FANOUT_TASKS = 16;
    static final int FANOUT_STATEMENTS = 50;
    /** Statements the outliving task runs before its request ends, and after. */
    static final int DETACHED_BEFORE = 3;
    static final int DETACHED_AFTER = 5;

    private final Library library;
    private final ReportService reports;
    private final ThreadPoolTaskExecutor reportExecutor;
    private final RabbitTemplate rabbit;
    private final OrderListener listener;
    private final String queue;

    private final ListenerAdapters adapters;
    private final QuartzJobs quartz;
    private volatile CountDownLatch release = new CountDownLatch(1);
    private volatile CompletableFuture<Void> detached = CompletableFuture.completedFuture(null);

    public ReportController(Library library, ReportService reports, ThreadPoolTaskExecutor reportExecutor,
                            RabbitTemplate rabbit, OrderListener listener, @Value("${work.queue}") String queue,
                            ListenerAdapters adapters, QuartzJobs quartz) {
        this.adapters = adapters;
        this.quartz = quartz;
        this.library = library;
        this.reports = reports;
        this.reportExecutor = reportExecutor;
        this.rabbit = rabbit;
        this.listener = listener;
        this.queue = queue;
    }

    /** The N+1 in an {@code @Async} method, waited for. */
    @GetMapping("/reports/async")
    public int async() {
        return reports.report().join();
    }

    /** The N+1 in {@code CompletableFuture.supplyAsync} on the application's executor. */
    @GetMapping("/reports/supply")
    public int supply() {
        return CompletableFuture.supplyAsync(library::report, reportExecutor).join();
    }

    /** The N+1 on a thread started by hand: it carries nothing, its statements count under none. */
    @GetMapping("/reports/thread")
    public int thread() throws InterruptedException {
        int[] books = new int[1];
        Thread t = new Thread(() -> books[0] = library.report(), "by-hand");
        t.start();
        t.join(60_000);
        return books[0];
    }

    /** One statement here, and {@value #FANOUT_TASKS} tasks of {@value #FANOUT_STATEMENTS} statements on the pool. */
    @GetMapping("/reports/fanout")
    public int fanout() throws Exception {
        int total = library.countAuthors();
        List<Future<Integer>> tasks = new ArrayList<>();
        for (int t = 0; t < FANOUT_TASKS; t++) {
            tasks.add(reportExecutor.submit(() -> {
                int n = 0;
                for (int i = 0; i < FANOUT_STATEMENTS; i++) {
                    n += library.countAuthors();
                }
                return n;
            }));
        }
        for (Future<Integer> f : tasks) {
            total += f.get(60, TimeUnit.SECONDS);
        }
        return total;
    }

    /**
     * Hands over a task that runs {@value #DETACHED_BEFORE} statements, then waits until {@code /reports/release}
     * (another request, after this one ended) lets it run {@value #DETACHED_AFTER} more.
     */
    @GetMapping("/reports/detached")
    public String detached() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        release = go;
        detached = CompletableFuture.runAsync(outliving(library, started, go), reportExecutor);
        return started.await(60, TimeUnit.SECONDS) ? "started" : "not started";
    }

    /**
     * A task that runs {@value #DETACHED_BEFORE} statements, counts {@code started} down, and runs
     * {@value #DETACHED_AFTER} more once {@code go} is counted down.
     */
    static Runnable outliving(Library library, CountDownLatch started, CountDownLatch go) {
        return () -> {
            for (int i = 0; i < DETACHED_BEFORE; i++) {
                library.countAuthors();
            }
            started.countDown();
            try {
                if (!go.await(60, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (int i = 0; i < DETACHED_AFTER; i++) {
                library.countAuthors();
            }
        };
    }

    /** Lets the outliving task go on, and waits for it to finish. */
    @GetMapping("/reports/release")
    public String release() throws Exception {
        release.countDown();
        detached.get(60, TimeUnit.SECONDS);
        return "released";
    }

    /** Publishes {@code count} orders to the listener's queue. */
    @GetMapping("/orders/publish")
    public int publish(@RequestParam int count) {
        for (int i = 0; i < count; i++) {
            rabbit.convertAndSend("", queue, "order-" + i);
        }
        return count;
    }

    /** One Kafka record and one JMS message through Spring's real listener adapters, on a thread of their own. */
    @GetMapping("/listeners/simulate")
    public int simulate() throws Exception {
        return adapters.deliver();
    }

    /** Starts the Quartz scheduler, which runs its job twice. */
    @GetMapping("/quartz/start")
    public String startQuartz() throws Exception {
        quartz.start();
        return "started";
    }

    /** How many orders the listener has handled. */
    @GetMapping("/orders/handled")
    public Map<String, Integer> handled() {
        return Map.of("handled", listener.handled.get());
    }
}
