package dev.querylens.agent.advice;

import dev.querylens.agent.hooks.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into Spring MVC's {@code DispatcherServlet.render(ModelAndView, HttpServletRequest, HttpServletResponse)}:
 * while the view renders (Thymeleaf, JSP, FreeMarker, Mustache), statements that make a finding name the handler
 * method that produced the view. The arguments are typed {@code Object}, so the agent needs no Spring API.
 */
public final class ViewRenderAdvice {

    private ViewRenderAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(1) Object request) {
        return Hooks.enterViewRendering(request);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object token) {
        Hooks.exitViewRendering(token);
    }
}
