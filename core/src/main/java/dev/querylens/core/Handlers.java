package dev.querylens.core;

import java.lang.reflect.Method;

/**
 * Names a web framework's request handler without depending on the framework: Spring MVC's {@code HandlerMethod}
 * (its {@code getBeanType()} and {@code getMethod()}) as {@code com.acme.OwnerController.processFindForm}, a
 * {@link Method} likewise, a {@link String} as itself, anything else by its class. Read once per finding.
 */
final class Handlers {

    private record Accessors(Method beanType, Method method) {
    }

    private static final Accessors NONE = new Accessors(null, null);

    private static final ClassValue<Accessors> ACCESSORS = new ClassValue<>() {
        @Override
        protected Accessors computeValue(Class<?> type) {
            try {
                Method method = type.getMethod("getMethod");
                Method beanType = type.getMethod("getBeanType");
                if (method.getReturnType() == Method.class && beanType.getReturnType() == Class.class) {
                    return new Accessors(beanType, method);
                }
            } catch (NoSuchMethodException | RuntimeException e) {
                // not a handler method
            }
            return NONE;
        }
    };

    private Handlers() {
    }

    static String describe(Object handler) {
        if (handler instanceof String name) {
            return name;
        }
        if (handler instanceof Method m) {
            return userClass(m.getDeclaringClass()) + "." + m.getName();
        }
        Accessors a = ACCESSORS.get(handler.getClass());
        if (a != NONE) {
            try {
                Class<?> type = (Class<?>) a.beanType().invoke(handler);
                Method m = (Method) a.method().invoke(handler);
                return userClass(type != null ? type : m.getDeclaringClass()) + "." + m.getName();
            } catch (ReflectiveOperationException | RuntimeException e) {
                // fall back to the handler's class
            }
        }
        return userClass(handler.getClass());
    }

    /** The class as written: without a CGLIB or Byte Buddy suffix ({@code OwnerController$$SpringCGLIB$$0}). */
    private static String userClass(Class<?> type) {
        String name = type.getName();
        int generated = name.indexOf("$$");
        return generated > 0 ? name.substring(0, generated) : name;
    }
}
