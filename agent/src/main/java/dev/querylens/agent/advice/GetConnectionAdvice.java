package dev.querylens.agent.advice;

import dev.querylens.agent.hooks.Hooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code getConnection()} and {@code getConnection(String, String)} of every {@code javax.sql.DataSource}
 * implementation. References nothing but {@link Hooks}.
 */
public final class GetConnectionAdvice {

    private GetConnectionAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static int enter() {
        return Hooks.enterGetConnection();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter int token,
                            @Advice.This Object dataSource,
                            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object connection) {
        connection = Hooks.exitGetConnection(token, dataSource, connection);
    }
}
