package dev.querylens.agent.advice;

import dev.querylens.agent.hooks.TaskHooks;
import net.bytebuddy.asm.Advice;

import java.lang.invoke.MethodHandle;

/**
 * Inlined into {@code ForkJoinTask} and {@code ForkJoinPool}: a fork/join task forked, or handed to a pool, while a
 * unit of work is open runs in that unit, wherever it runs ({@code doExec}, through which every fork/join task runs:
 * the subtasks of a parallel stream, a {@code RecursiveTask}'s). The task itself is left as it is: it is what the
 * pool queues and the application joins. JDK types only; the hook is a method handle on {@code TaskHooks.forkJoin},
 * as in {@link ExecutorAdvice}. The kinds are compile-time constants: the inlined code does not name
 * {@link TaskHooks}.
 */
public final class ForkJoinAdvice {

    private ForkJoinAdvice() {
    }

    /** {@code ForkJoinTask.fork()}. */
    public static final class Fork {
        private Fork() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@TaskHook MethodHandle hook, @Advice.This Object task) throws Throwable {
            Object none = (Object) hook.invokeExact(task, TaskHooks.FORKED);
        }
    }

    /** {@code ForkJoinPool.execute}, {@code submit} and {@code invoke} of a {@code ForkJoinTask}. */
    public static final class HandOver {
        private HandOver() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@TaskHook MethodHandle hook, @Advice.Argument(0) Object task) throws Throwable {
            Object none = (Object) hook.invokeExact(task, TaskHooks.FORKED);
        }
    }

    /** {@code ForkJoinTask.doExec()}: runs the task in the unit it was forked in, if any. */
    public static final class Run {
        private Run() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static Object enter(@TaskHook MethodHandle hook, @Advice.This Object task) throws Throwable {
            return (Object) hook.invokeExact(task, TaskHooks.RUNNING);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@TaskHook MethodHandle hook, @Advice.Enter Object scope) throws Throwable {
            if (scope != null) {
                Object none = (Object) hook.invokeExact(scope, TaskHooks.RAN);
            }
        }
    }
}
