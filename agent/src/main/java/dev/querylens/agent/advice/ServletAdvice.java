package dev.querylens.agent.advice;

import dev.querylens.agent.hooks.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code Filter.doFilter} and {@code Servlet.service} of both {@code jakarta.servlet} and
 * {@code javax.servlet}: the outermost dispatch on a thread is one unit of work. The request is typed
 * {@code Object}, so the agent needs no servlet API.
 */
public final class ServletAdvice {

    private ServletAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) Object request) {
        return Hooks.enterRequest(request);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object token, @Advice.Argument(0) Object request,
                            @Advice.Argument(1) Object response) {
        Hooks.exitRequest(token, request, response);
    }
}
