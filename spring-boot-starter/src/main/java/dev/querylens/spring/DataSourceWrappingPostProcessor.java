package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.NameMatchMethodPointcutAdvisor;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Wraps every {@link DataSource} bean, except those named in {@code querylens.excluded-datasource-beans}, in a
 * class-based Spring AOP proxy whose only advice is on {@code getConnection}: the bean keeps its class (an
 * {@code @Autowired HikariDataSource} still gets it), every other method reaches the real object, and Boot's pool
 * metrics and DataSource health see the pool through the proxy. A bean that is already a Spring AOP proxy gets the
 * advice added to it instead of a second proxy.
 */
final class DataSourceWrappingPostProcessor implements BeanPostProcessor, BeanClassLoaderAware, Ordered {

    private static final Logger log = LoggerFactory.getLogger(DataSourceWrappingPostProcessor.class);
    private static final boolean SPRING_JDBC = ClassUtils.isPresent(
            "org.springframework.jdbc.datasource.DelegatingDataSource", DataSourceWrappingPostProcessor.class.getClassLoader());
    private static final boolean HIKARI = ClassUtils.isPresent(
            "com.zaxxer.hikari.HikariDataSource", DataSourceWrappingPostProcessor.class.getClassLoader());

    private final Supplier<QueryLens> lens;
    private final Set<String> excluded;
    private ClassLoader classLoader = ClassUtils.getDefaultClassLoader();

    DataSourceWrappingPostProcessor(ObjectProvider<QueryLens> lens, Set<String> excluded) {
        this.lens = new LazyQueryLens(lens);
        this.excluded = Set.copyOf(excluded);
    }

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    public int getOrder() {
        // after other post-processors, so that their proxies are the ones wrapped
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof DataSource) || excluded.contains(beanName) || interceptorOf(bean) != null) {
            return bean;
        }
        ConnectionWrappingInterceptor interceptor = new ConnectionWrappingInterceptor(beanName, lens);
        NameMatchMethodPointcutAdvisor advisor = new NameMatchMethodPointcutAdvisor(interceptor);
        advisor.setMappedName("getConnection");
        Object wrapped;
        if (bean instanceof Advised advised && AopUtils.isAopProxy(bean) && !advised.isFrozen()) {
            advised.addAdvisor(0, advisor);
            wrapped = bean;
        } else {
            try {
                ProxyFactory factory = new ProxyFactory(bean);
                factory.setProxyTargetClass(true);
                factory.addAdvisor(advisor);
                wrapped = factory.getProxy(classLoader);
            } catch (RuntimeException e) {
                log.warn("[querylens] DataSource bean '{}' ({}) cannot be proxied with its own class (a final class?), so "
                                + "connections it makes itself are not counted: {}. Exclude it with "
                                + "querylens.excluded-datasource-beans to silence this.",
                        beanName, bean.getClass().getName(), e.toString());
                return bean;
            }
        }
        // Beans are created before the beans that depend on them: the DataSources this one delegates to are wrapped
        // already. They make the connections, so they count them, and this one passes through.
        boolean delegatesToWrapped = false;
        for (DataSource target : targetsOf(bean)) {
            if (interceptorOf(target) != null) {
                delegatesToWrapped = true;
            }
        }
        interceptor.passThrough(delegatesToWrapped);
        return wrapped;
    }

    /** Our advice on {@code bean} when it is a DataSource this post-processor wrapped, else {@code null}. */
    static ConnectionWrappingInterceptor interceptorOf(Object bean) {
        if (bean instanceof Advised advised) {
            for (Advisor advisor : advised.getAdvisors()) {
                if (advisor.getAdvice() instanceof ConnectionWrappingInterceptor interceptor) {
                    return interceptor;
                }
            }
        }
        return null;
    }

    /** The DataSources that {@code dataSource} takes its connections from, as far as known types tell. */
    static List<DataSource> targetsOf(Object dataSource) {
        List<DataSource> targets = new ArrayList<>();
        try {
            Object target = dataSource;
            if (dataSource instanceof Advised advised && advised.getTargetSource().isStatic()) {
                target = advised.getTargetSource().getTarget();
            }
            if (SPRING_JDBC) {
                SpringJdbcTargets.add(target, targets);
            }
            if (HIKARI) {
                HikariTargets.add(target, targets);
            }
        } catch (Exception e) {
            log.debug("[querylens] could not inspect the targets of {}", dataSource.getClass().getName(), e);
        }
        return targets;
    }

    /** Kept apart so that spring-jdbc classes are only loaded when spring-jdbc is there. */
    private static final class SpringJdbcTargets {
        static void add(Object ds, List<DataSource> out) {
            if (ds instanceof org.springframework.jdbc.datasource.DelegatingDataSource delegating
                    && delegating.getTargetDataSource() != null) {
                out.add(delegating.getTargetDataSource());
            }
            if (ds instanceof org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource routing) {
                try {
                    Collection<DataSource> resolved = routing.getResolvedDataSources().values();
                    out.addAll(resolved);
                    if (routing.getResolvedDefaultDataSource() != null) {
                        out.add(routing.getResolvedDefaultDataSource());
                    }
                } catch (IllegalStateException notInitialized) {
                    // not initialized: nothing to inspect
                }
            }
        }
    }

    /** Kept apart so that HikariCP classes are only loaded when HikariCP is there. */
    private static final class HikariTargets {
        static void add(Object ds, List<DataSource> out) {
            if (ds instanceof com.zaxxer.hikari.HikariConfig hikari && hikari.getDataSource() != null) {
                out.add(hikari.getDataSource());
            }
        }
    }
}
