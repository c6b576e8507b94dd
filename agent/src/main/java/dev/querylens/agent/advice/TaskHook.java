package dev.querylens.agent.advice;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a {@code MethodHandle} of {@code TaskHooks.wrap(Object, Object, int)}, loaded as a dynamic constant that the
 * JVM resolves once per instrumented class from JDK types alone (see {@code TaskInstrumentation}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface TaskHook {
}
