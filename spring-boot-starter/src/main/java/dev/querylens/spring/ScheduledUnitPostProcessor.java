package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import dev.querylens.core.UnitNames;
import dev.querylens.core.UnitOfWork;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Pointcut;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.annotation.Schedules;

import java.lang.reflect.Modifier;

/**
 * Makes each run of a {@code @Scheduled} method a unit of work named {@code SCHEDULED <SimpleClassName>.<method>},
 * by the application's class (never the proxy's). Proxies the beans that have such methods the way Spring applies
 * {@code @Async}, joining an existing proxy; a final class (which cannot be proxied) is left alone. A call made while
 * a unit is open (a request calling the job's method) joins that unit.
 */
final class ScheduledUnitPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

    ScheduledUnitPostProcessor(ObjectProvider<QueryLens> lens) {
        Pointcut scheduled = new AnnotationMatchingPointcut(null, Scheduled.class, true);
        Pointcut schedules = new AnnotationMatchingPointcut(null, Schedules.class, true);
        this.advisor = new DefaultPointcutAdvisor(new ComposablePointcut(scheduled).union(schedules),
                new Interceptor(new LazyQueryLens(lens)));
        setBeforeExistingAdvisors(true);
        setProxyTargetClass(true);
    }

    @Override
    protected boolean isEligible(Class<?> targetClass) {
        return !Modifier.isFinal(targetClass.getModifiers()) && super.isEligible(targetClass);
    }

    static final class Interceptor implements MethodInterceptor {
        private final LazyQueryLens lens;

        Interceptor(LazyQueryLens lens) {
            this.lens = lens;
        }

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            // a job runs seconds apart at most: naming it each time costs nothing worth a cache
            UnitOfWork work = FailOpen.begin(lens, "scheduled", () -> UnitNames.scheduled(
                    invocation.getThis() == null ? invocation.getMethod().getDeclaringClass()
                            : AopUtils.getTargetClass(invocation.getThis()), invocation.getMethod().getName()));
            try {
                return invocation.proceed();
            } finally {
                FailOpen.end(work, "scheduled");
            }
        }
    }
}
