package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Proxies beans that carry {@link QueryLensScope} on a method or on the class, the way Spring applies
 * {@code @Async}: no AspectJ needed, and the advice joins an existing proxy rather than adding another.
 */
final class QueryLensScopePostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

    QueryLensScopePostProcessor(ObjectProvider<QueryLens> lens) {
        Pointcut onClass = new AnnotationMatchingPointcut(QueryLensScope.class, true);
        Pointcut onMethod = new AnnotationMatchingPointcut(null, QueryLensScope.class, true);
        this.advisor = new DefaultPointcutAdvisor(new ComposablePointcut(onClass).union(onMethod),
                new QueryLensScopeInterceptor(lens));
        setBeforeExistingAdvisors(true);
        setProxyTargetClass(true);
    }
}
