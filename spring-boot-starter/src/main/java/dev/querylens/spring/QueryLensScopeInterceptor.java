package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import dev.querylens.core.UnitOfWork;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Runs a {@link QueryLensScope} method inside a unit of work. */
final class QueryLensScopeInterceptor implements MethodInterceptor {

    private final LazyQueryLens lens;
    /** Unit names by method; past {@link #MAX_NAMES} methods, names are worked out on each call. */
    private final Map<Method, String> names = new ConcurrentHashMap<>();
    static final int MAX_NAMES = 1024;

    QueryLensScopeInterceptor(ObjectProvider<QueryLens> lens) {
        this.lens = new LazyQueryLens(lens);
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        UnitOfWork work = FailOpen.begin(lens, "scope", () -> name(invocation));
        try {
            return invocation.proceed();
        } finally {
            FailOpen.end(work, "scope");
        }
    }

    private String name(MethodInvocation invocation) {
        Class<?> targetClass = invocation.getThis() == null ? invocation.getMethod().getDeclaringClass()
                : AopUtils.getTargetClass(invocation.getThis());
        Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass);
        String name = names.get(method);
        if (name == null) {
            name = nameOf(method, targetClass);
            if (names.size() < MAX_NAMES) {
                names.putIfAbsent(method, name);
            }
        }
        return name;
    }

    static String nameOf(Method method, Class<?> targetClass) {
        QueryLensScope scope = AnnotatedElementUtils.findMergedAnnotation(method, QueryLensScope.class);
        if (scope == null) {
            scope = AnnotatedElementUtils.findMergedAnnotation(targetClass, QueryLensScope.class);
        }
        if (scope != null && !scope.value().isBlank()) {
            return scope.value().trim();
        }
        return targetClass.getSimpleName() + "." + method.getName();
    }
}
