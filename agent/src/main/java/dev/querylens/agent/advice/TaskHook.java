package dev.querylens.agent.advice;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a {@code MethodHandle} of a static method of {@code TaskHooks} ({@code wrap(Object, Object, int)} for the
 * executors, {@code forkJoin(Object, int)} for fork/join tasks), loaded as a dynamic constant that the JVM resolves
 * once per instrumented class from JDK types alone (see {@code WorkInstrumentation}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface TaskHook {
}
