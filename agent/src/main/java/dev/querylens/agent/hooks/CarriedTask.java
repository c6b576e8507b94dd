package dev.querylens.agent.hooks;

import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A task (or a {@code CompletableFuture} step's function) that runs in the unit of work of the thread that handed it
 * over. Each kind implements exactly one functional interface: the one the executor's method declared.
 */
abstract class CarriedTask {

    private final WorkDispatcher dispatcher;
    private final Object unit;
    final Object task;

    CarriedTask(WorkDispatcher dispatcher, Object unit, Object task) {
        this.dispatcher = dispatcher;
        this.unit = unit;
        this.task = task;
    }

    final Object attach() {
        try {
            return dispatcher.attach(unit);
        } catch (Throwable t) {
            return null;
        }
    }

    final void detach(Object scope) {
        if (scope != null) {
            try {
                dispatcher.detach(scope);
            } catch (Throwable t) {
                // never reaches the application
            }
        }
    }

    @Override
    public String toString() {
        return task.toString();
    }

    static final class OfRunnable extends CarriedTask implements Runnable {
        OfRunnable(WorkDispatcher d, Object unit, Runnable task) {
            super(d, unit, task);
        }

        @Override
        public void run() {
            Object scope = attach();
            try {
                ((Runnable) task).run();
            } finally {
                detach(scope);
            }
        }
    }

    static final class OfCallable<V> extends CarriedTask implements Callable<V> {
        OfCallable(WorkDispatcher d, Object unit, Callable<V> task) {
            super(d, unit, task);
        }

        @Override
        @SuppressWarnings("unchecked")
        public V call() throws Exception {
            Object scope = attach();
            try {
                return ((Callable<V>) task).call();
            } finally {
                detach(scope);
            }
        }
    }

    static final class OfSupplier<V> extends CarriedTask implements Supplier<V> {
        OfSupplier(WorkDispatcher d, Object unit, Supplier<V> task) {
            super(d, unit, task);
        }

        @Override
        @SuppressWarnings("unchecked")
        public V get() {
            Object scope = attach();
            try {
                return ((Supplier<V>) task).get();
            } finally {
                detach(scope);
            }
        }
    }

    static final class OfFunction<T, R> extends CarriedTask implements Function<T, R> {
        OfFunction(WorkDispatcher d, Object unit, Function<T, R> task) {
            super(d, unit, task);
        }

        @Override
        @SuppressWarnings("unchecked")
        public R apply(T t) {
            Object scope = attach();
            try {
                return ((Function<T, R>) task).apply(t);
            } finally {
                detach(scope);
            }
        }
    }

    static final class OfBiFunction<T, U, R> extends CarriedTask implements BiFunction<T, U, R> {
        OfBiFunction(WorkDispatcher d, Object unit, BiFunction<T, U, R> task) {
            super(d, unit, task);
        }

        @Override
        @SuppressWarnings("unchecked")
        public R apply(T t, U u) {
            Object scope = attach();
            try {
                return ((BiFunction<T, U, R>) task).apply(t, u);
            } finally {
                detach(scope);
            }
        }
    }

    static final class OfConsumer<T> extends CarriedTask implements Consumer<T> {
        OfConsumer(WorkDispatcher d, Object unit, Consumer<T> task) {
            super(d, unit, task);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void accept(T t) {
            Object scope = attach();
            try {
                ((Consumer<T>) task).accept(t);
            } finally {
                detach(scope);
            }
        }
    }

    static final class OfBiConsumer<T, U> extends CarriedTask implements BiConsumer<T, U> {
        OfBiConsumer(WorkDispatcher d, Object unit, BiConsumer<T, U> task) {
            super(d, unit, task);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void accept(T t, U u) {
            Object scope = attach();
            try {
                ((BiConsumer<T, U>) task).accept(t, u);
            } finally {
                detach(scope);
            }
        }
    }
}
