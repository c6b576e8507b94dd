package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import org.springframework.core.task.TaskDecorator;

/**
 * Runs each task of a Spring {@code TaskExecutor} in the unit of work of the thread that submitted it
 * ({@link QueryLens#wrap(Runnable)}), around the application's own decorator, if it has one.
 */
final class QueryLensTaskDecorator implements TaskDecorator {

    private final LazyQueryLens lens;
    /** The application's decorator, applied first; {@code null} when it had none. */
    private final TaskDecorator inner;

    QueryLensTaskDecorator(LazyQueryLens lens, TaskDecorator inner) {
        this.lens = lens;
        this.inner = inner;
    }

    @Override
    public Runnable decorate(Runnable runnable) {
        Runnable task = inner == null ? runnable : inner.decorate(runnable);
        QueryLens l = null;
        try {
            l = lens.get();
            return l == null ? task : l.wrap(task);
        } catch (Throwable t) {
            // the task runs, outside the unit of work
            FailOpen.report(l, "task-decorator", t);
            return task;
        }
    }
}
