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
    private final Map<Method, String> names = new ConcurrentHashMap<>();

    QueryLensScopeInterceptor(ObjectProvider<QueryLens> lens) {
        this.lens = new LazyQueryLens(lens);
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        QueryLens queryLens = lens.get();
        if (queryLens == null) {
            return invocation.proceed();
        }
        Class<?> targetClass = invocation.getThis() == null ? invocation.getMethod().getDeclaringClass()
                : AopUtils.getTargetClass(invocation.getThis());
        String name = names.computeIfAbsent(AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass),
                m -> nameOf(m, targetClass));
        try (UnitOfWork work = queryLens.begin(name)) {
            return invocation.proceed();
        }
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
