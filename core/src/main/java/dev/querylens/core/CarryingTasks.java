package dev.querylens.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The tasks and executors {@link QueryLens#wrap(Runnable)} and its siblings return. */
final class CarryingTasks {

    private CarryingTasks() {
    }

    /** A task that runs in the unit of work it was made in. */
    static final class CarryingRunnable implements Runnable {
        private final QueryLens lens;
        private final CarriedUnit unit;
        private final Runnable task;

        CarryingRunnable(QueryLens lens, CarriedUnit unit, Runnable task) {
            this.lens = lens;
            this.unit = unit;
            this.task = task;
        }

        @Override
        public void run() {
            try (CarriedUnit.Scope scope = lens.attach(unit)) {
                task.run();
            }
        }

        @Override
        public String toString() {
            return task.toString();
        }
    }

    /** A task with a result that runs in the unit of work it was made in. */
    static final class CarryingCallable<V> implements Callable<V> {
        private final QueryLens lens;
        private final CarriedUnit unit;
        private final Callable<V> task;

        CarryingCallable(QueryLens lens, CarriedUnit unit, Callable<V> task) {
            this.lens = lens;
            this.unit = unit;
            this.task = task;
        }

        @Override
        public V call() throws Exception {
            try (CarriedUnit.Scope scope = lens.attach(unit)) {
                return task.call();
            }
        }

        @Override
        public String toString() {
            return task.toString();
        }
    }

    /** Runs each task in the unit of work open on the thread that submitted it. */
    static class CarryingExecutor implements Executor {
        final QueryLens lens;
        private final Executor executor;

        CarryingExecutor(QueryLens lens, Executor executor) {
            this.lens = lens;
            this.executor = executor;
        }

        @Override
        public void execute(Runnable command) {
            executor.execute(lens.wrap(command));
        }

        @Override
        public String toString() {
            return executor.toString();
        }
    }

    /** As {@link CarryingExecutor}, for every way an {@link ExecutorService} takes tasks. */
    static final class CarryingExecutorService extends CarryingExecutor implements ExecutorService {
        private final ExecutorService executor;

        CarryingExecutorService(QueryLens lens, ExecutorService executor) {
            super(lens, executor);
            this.executor = executor;
        }

        private <T> List<Callable<T>> wrapAll(Collection<? extends Callable<T>> tasks) {
            List<Callable<T>> wrapped = new ArrayList<>(tasks.size());
            for (Callable<T> task : tasks) {
                wrapped.add(lens.wrap(task));
            }
            return wrapped;
        }

        @Override
        public <T> Future<T> submit(Callable<T> task) {
            return executor.submit(lens.wrap(task));
        }

        @Override
        public <T> Future<T> submit(Runnable task, T result) {
            return executor.submit(lens.wrap(task), result);
        }

        @Override
        public Future<?> submit(Runnable task) {
            return executor.submit(lens.wrap(task));
        }

        @Override
        public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
            return executor.invokeAll(wrapAll(tasks));
        }

        @Override
        public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
                throws InterruptedException {
            return executor.invokeAll(wrapAll(tasks), timeout, unit);
        }

        @Override
        public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
            return executor.invokeAny(wrapAll(tasks));
        }

        @Override
        public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
                throws InterruptedException, ExecutionException, TimeoutException {
            return executor.invokeAny(wrapAll(tasks), timeout, unit);
        }

        @Override
        public void shutdown() {
            executor.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return executor.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return executor.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return executor.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return executor.awaitTermination(timeout, unit);
        }
    }
}
