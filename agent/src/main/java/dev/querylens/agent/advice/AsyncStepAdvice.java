package dev.querylens.agent.advice;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import java.lang.invoke.MethodHandle;

/**
 * Inlined into {@code CompletableFuture}'s asynchronous steps whose function is their first argument
 * ({@code supplyAsync}, {@code runAsync}, {@code thenApplyAsync}, {@code handleAsync}...): the function is wrapped
 * to run in the unit of work of the thread that gave it, whichever executor (the common pool by default) runs it.
 * JDK types only, as in {@link ExecutorAdvice}.
 */
public final class AsyncStepAdvice {

    private AsyncStepAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@TaskHook MethodHandle wrap, @TaskKind int kind,
                             @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object step)
            throws Throwable {
        step = (Object) wrap.invokeExact((Object) null, step, kind);
    }

    /** The steps whose function is their second argument, after the other stage ({@code thenCombineAsync}...). */
    public static final class OnSecondArgument {
        private OnSecondArgument() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@TaskHook MethodHandle wrap, @TaskKind int kind,
                                 @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object step)
                throws Throwable {
            step = (Object) wrap.invokeExact((Object) null, step, kind);
        }
    }
}
