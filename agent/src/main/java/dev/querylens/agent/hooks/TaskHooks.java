package dev.querylens.agent.hooks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where the advice inlined into the JDK's executors and {@code CompletableFuture} (loaded by the bootstrap class
 * loader, which cannot see the agent) wraps the task it is handed, so that the task runs in the unit of work of the
 * thread that handed it over. That advice reaches {@link #wrap} through a method handle that the JVM resolves once
 * per instrumented class from JDK types alone (the system class loader, {@code Class}, {@code MethodHandles}): see
 * {@code WorkInstrumentation}. Nothing is put on the bootstrap class path. Never throws: on any failure the task is
 * returned as it was.
 */
public final class TaskHooks {

    /** Kinds of argument {@link #wrap} is given: the functional interface the wrapper must implement. */
    public static final int RUNNABLE = 0;
    public static final int CALLABLE = 1;
    public static final int SUPPLIER = 2;
    public static final int FUNCTION = 3;
    public static final int BIFUNCTION = 4;
    public static final int CONSUMER = 5;
    public static final int BICONSUMER = 6;
    /** A {@code Collection} of {@code Callable}s ({@code invokeAll}, {@code invokeAny}). */
    public static final int CALLABLES = 7;
    /**
     * The {@code Runnable} of {@code Executor.execute}: left alone when it is a {@code Future} (the task
     * {@code submit} made around a task already wrapped, or a {@code CompletableFuture} or fork/join step, whose
     * function is wrapped where it was given).
     */
    public static final int EXECUTED = 8;

    /** Kinds of call {@link #forkJoin} gets: a fork/join task forked or handed to a pool, about to run, done. */
    public static final int FORKED = 0;
    public static final int RUNNING = 1;
    public static final int RAN = 2;

    static volatile WorkDispatcher dispatcher;

    private TaskHooks() {
    }

    /**
     * {@code task}, wrapped to run in the unit of work open on this thread; {@code task} itself when none is open,
     * when the agent is not ready, or when {@code executor} (may be {@code null}) could see the wrapper.
     */
    public static Object wrap(Object executor, Object task, int kind) {
        try {
            WorkDispatcher d = dispatcher;
            if (d == null || task == null || task instanceof CarriedTask) {
                return task;
            }
            if (kind == EXECUTED && task instanceof Future) {
                return task;
            }
            Object unit = d.carry();
            if (unit == null || (executor != null && !d.carriesInto(executor))) {
                return task;
            }
            switch (kind) {
                case RUNNABLE:
                case EXECUTED:
                    return new CarriedTask.OfRunnable(d, unit, (Runnable) task);
                case CALLABLE:
                    return new CarriedTask.OfCallable<>(d, unit, (Callable<?>) task);
                case SUPPLIER:
                    return new CarriedTask.OfSupplier<>(d, unit, (Supplier<?>) task);
                case FUNCTION:
                    return new CarriedTask.OfFunction<>(d, unit, (Function<?, ?>) task);
                case BIFUNCTION:
                    return new CarriedTask.OfBiFunction<>(d, unit, (BiFunction<?, ?, ?>) task);
                case CONSUMER:
                    return new CarriedTask.OfConsumer<>(d, unit, (Consumer<?>) task);
                case BICONSUMER:
                    return new CarriedTask.OfBiConsumer<>(d, unit, (BiConsumer<?, ?>) task);
                case CALLABLES:
                    return wrapAll(d, unit, (Collection<?>) task);
                default:
                    return task;
            }
        } catch (Throwable t) {
            return task;
        }
    }

    /**
     * Fork/join tasks, which the agent cannot wrap (the task is what the pool queues and the application joins): a
     * task {@link #FORKED} while a unit of work is open is remembered with it ({@link ForkJoinUnits}); as it is
     * {@link #RUNNING} it is attached to that unit, and the returned scope is {@link #RAN} (given back as
     * {@code taskOrScope}) once it is done. Returns the scope for {@code RUNNING}, {@code null} otherwise and on any
     * failure.
     */
    public static Object forkJoin(Object taskOrScope, int kind) {
        try {
            WorkDispatcher d = dispatcher;
            if (d == null || taskOrScope == null) {
                return null;
            }
            switch (kind) {
                case FORKED:
                    ForkJoinUnits.forked(taskOrScope, d.carry());
                    return null;
                case RUNNING:
                    Object unit = ForkJoinUnits.take(taskOrScope);
                    return unit == null ? null : d.attach(unit);
                case RAN:
                    d.detach(taskOrScope);
                    return null;
                default:
                    return null;
            }
        } catch (Throwable t) {
            return null;
        }
    }

    private static Object wrapAll(WorkDispatcher d, Object unit, Collection<?> tasks) {
        List<Object> wrapped = new ArrayList<>(tasks.size());
        for (Object task : tasks) {
            wrapped.add(task instanceof Callable<?> c && !(task instanceof CarriedTask) ? new CarriedTask.OfCallable<>(d, unit, c) : task);
        }
        return wrapped;
    }
}
