package dev.querylens.agent.advice;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import java.lang.invoke.MethodHandle;

/**
 * Inlined into the JDK's executors ({@code ThreadPoolExecutor.execute}, {@code submit}, {@code invokeAll},
 * {@code ScheduledThreadPoolExecutor.schedule}, {@code ForkJoinPool}) and Spring's {@code SimpleAsyncTaskExecutor}:
 * the task they are handed is wrapped to run in the unit of work of the thread that hands it over. These classes
 * are loaded by the bootstrap class loader: the advice names JDK types only and reaches the agent through the
 * {@link TaskHook} method handle.
 */
public final class ExecutorAdvice {

    private ExecutorAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@TaskHook MethodHandle wrap, @TaskKind int kind, @Advice.This Object executor,
                             @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object task)
            throws Throwable {
        task = (Object) wrap.invokeExact(executor, task, kind);
    }
}
