package dev.querylens.testapps.work;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.TimeUnit;

/**
 * Requests whose SQL runs in fork/join tasks: a parallel stream on the common pool, a {@code RecursiveTask} on a pool
 * of the application's, a {@code RecursiveAction} invoked on the request thread whose subtasks the common pool
 * steals, and a forked task that outlives its request. Each answers how many pool worker threads ran statements, so
 * that a test knows the work did leave the request thread.
 */
@RestController
public class ForkJoinController implements DisposableBean {

    /** Leaves {@code /reports/forkjoin-fanout} splits into, and statements each runs. */
    static final int FANOUT_TASKS = 16;
    static final int FANOUT_STATEMENTS = 50;

    private final Library library;
    private final ForkJoinPool pool = new ForkJoinPool(4);
    private volatile CountDownLatch release = new CountDownLatch(1);
    private volatile ForkJoinTask<?> detached;

    public ForkJoinController(Library library) {
        this.library = library;
    }

    @Override
    public void destroy() {
        pool.shutdownNow();
    }

    /** The N+1 with its loop in a parallel stream: one query per author, on the common pool's workers. */
    @GetMapping("/reports/parallel")
    public String parallel() {
        Set<Thread> workers = ConcurrentHashMap.newKeySet();
        int books = library.authors().parallelStream().mapToInt(author -> {
            onWorker(workers);
            return library.books(author).size();
        }).sum();
        return books + " " + workers.size();
    }

    /**
     * The N+1 with its loop in a {@code RecursiveTask} handed to the application's pool, split down to one author.
     * Waited for without joining it, which could run it on this thread; says so if it ran here all the same.
     */
    @GetMapping("/reports/recursive")
    public String recursive() throws Exception {
        Set<Thread> workers = ConcurrentHashMap.newKeySet();
        BooksTask root = new BooksTask(library.authors(), workers);
        ForkJoinTask<Integer> task = pool.submit(root);
        root.computed.await(60, TimeUnit.SECONDS);
        int books = task.get(60, TimeUnit.SECONDS);
        return books + " " + workers.size() + (root.ranOnWorker ? "" : " root-on-the-request-thread");
    }

    /** One statement here, and {@value #FANOUT_TASKS} leaves of {@value #FANOUT_STATEMENTS} statements. */
    @GetMapping("/reports/forkjoin-fanout")
    public String fanout() {
        Set<Thread> workers = ConcurrentHashMap.newKeySet();
        library.countAuthors();
        // invoked on the request thread: the subtasks it forks go to the common pool
        new CountingAction(0, FANOUT_TASKS, workers).invoke();
        return FANOUT_TASKS * FANOUT_STATEMENTS + 1 + " " + workers.size();
    }

    /** Forks a task that runs 3 statements, then waits until {@code /reports/forked-release} lets it run 5 more. */
    @GetMapping("/reports/forked-detached")
    public String forkedDetached() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        release = go;
        detached = ForkJoinTask.adapt(ReportController.outliving(library, started, go)).fork();
        return started.await(60, TimeUnit.SECONDS) ? "started" : "not started";
    }

    /** Lets the forked task go on, and waits for it to finish. */
    @GetMapping("/reports/forked-release")
    public String forkedRelease() throws Exception {
        release.countDown();
        detached.get(60, TimeUnit.SECONDS);
        return "released";
    }

    /**
     * Notes a pool worker thread, and gives the other workers time to steal: on a small machine the thread that
     * forked would otherwise run every subtask itself.
     */
    private static void onWorker(Set<Thread> workers) {
        if (Thread.currentThread() instanceof ForkJoinWorkerThread) {
            workers.add(Thread.currentThread());
        }
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    final class BooksTask extends RecursiveTask<Integer> {
        private final List<Integer> authors;
        private final Set<Thread> workers;
        final CountDownLatch computed = new CountDownLatch(1);
        volatile boolean ranOnWorker;

        BooksTask(List<Integer> authors, Set<Thread> workers) {
            this.authors = authors;
            this.workers = workers;
        }

        @Override
        protected Integer compute() {
            ranOnWorker = Thread.currentThread() instanceof ForkJoinWorkerThread;
            try {
                return books();
            } finally {
                computed.countDown();
            }
        }

        private int books() {
            if (authors.size() == 1) {
                onWorker(workers);
                return library.books(authors.get(0)).size();
            }
            int half = authors.size() / 2;
            BooksTask left = new BooksTask(authors.subList(0, half), workers);
            left.fork();
            int right = new BooksTask(authors.subList(half, authors.size()), workers).compute();
            return right + left.join();
        }
    }

    final class CountingAction extends RecursiveAction {
        private final int from;
        private final int to;
        private final Set<Thread> workers;

        CountingAction(int from, int to, Set<Thread> workers) {
            this.from = from;
            this.to = to;
            this.workers = workers;
        }

        @Override
        protected void compute() {
            if (to - from == 1) {
                onWorker(workers);
                for (int i = 0; i < FANOUT_STATEMENTS; i++) {
                    library.countAuthors();
                }
                return;
            }
            int half = (from + to) / 2;
            invokeAll(new CountingAction(from, half, workers), new CountingAction(half, to, workers));
        }
    }
}
