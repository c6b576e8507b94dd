package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import dev.querylens.core.StatementObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.handler.MappedInterceptor;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Wires Querylens into a Spring Boot 4.0 or 3.5 application: a {@link QueryLens} bean on the application's
 * {@link MeterRegistry} (a bean of the application's own wins), every DataSource bean wrapped, each Spring MVC request
 * and each {@link QueryLensScope} method a unit of work, and the {@code querylens} Actuator endpoint. Classes that
 * moved between Boot 3 and Boot 4 are named as strings only.
 */
@AutoConfiguration(afterName = {
        // Spring Boot 4
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        // Spring Boot 3
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(QueryLens.class)
@EnableConfigurationProperties(QueryLensProperties.class)
public class QueryLensAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(QueryLensAutoConfiguration.class);

    /** Prefix and name of the master switch, for conditions. */
    static final String PREFIX = "querylens";

    /**
     * The engine. Its meters go to the application's {@link MeterRegistry}; without one they go to a private
     * registry and only the findings (logs, Actuator endpoint) are seen. Every {@link StatementObserver} bean sees
     * each statement, in the beans' order ({@code @Order}, {@code Ordered}); one that throws is counted in
     * {@code querylens.internal.errors}, logged once and skipped for that statement. Disabled, it does nothing and
     * registers nothing in the application's registry.
     */
    @Bean
    @ConditionalOnMissingBean
    public QueryLens queryLens(QueryLensProperties properties, ObjectProvider<MeterRegistry> registries,
                               ObjectProvider<StatementObserver> observers) {
        MeterRegistry registry = null;
        if (properties.isEnabled()) {
            registry = registries.getIfUnique();
            if (registry == null) {
                log.info("[querylens] no unique MeterRegistry bean: Querylens meters are kept in a private registry; "
                        + "findings are still logged and served by the Actuator endpoint");
            }
        }
        QueryLens.Builder builder = QueryLens.builder()
                .meterRegistry(registry != null ? registry : new SimpleMeterRegistry())
                .config(properties.toConfig());
        if (properties.isEnabled()) {
            observers.orderedStream().forEach(builder::observer);
        }
        return builder.build();
    }

    /** Runs code as a unit of work: {@code scopes.run("nightly-invoicing", this::invoice)}. */
    @Bean
    @ConditionalOnMissingBean
    public QueryLensScopes queryLensScopes(QueryLens queryLens) {
        return new QueryLensScopes(queryLens);
    }

    /** Every DataSource bean's connections recorded; present when spring-jdbc is, as for Boot's own DataSource. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
    @ConditionalOnClass(name = "org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType")
    static class DataSourceConfiguration {

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static DataSourceWrappingPostProcessor querylensDataSourceWrappingPostProcessor(
                ObjectProvider<QueryLens> queryLens, Environment environment) {
            Set<String> excluded = new LinkedHashSet<>();
            Binder.get(environment).bind(PREFIX + ".excluded-datasource-beans", Bindable.listOf(String.class))
                    .ifBound(names -> names.forEach(n -> excluded.add(n.trim())));
            return new DataSourceWrappingPostProcessor(queryLens, excluded);
        }
    }

    /** {@link QueryLensScope} methods as units of work. Spring AOP only: AspectJ is not needed. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
    static class ScopeConfiguration {

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static QueryLensScopePostProcessor querylensScopePostProcessor(ObjectProvider<QueryLens> queryLens) {
            return new QueryLensScopePostProcessor(queryLens);
        }
    }

    /**
     * Work beyond the request thread: Spring executors carry the unit of work that submitted a task
     * ({@code @Async}, {@code CompletableFuture.supplyAsync(..., executor)}), and so does Micrometer's
     * context-propagation where the application has it (Spring's {@code ContextPropagatingTaskDecorator}, Reactor).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
    static class TaskExecutionConfiguration {

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static TaskExecutorDecoratingPostProcessor querylensTaskExecutorDecorator(ObjectProvider<QueryLens> queryLens) {
            return new TaskExecutorDecoratingPostProcessor(queryLens);
        }
    }

    /** The unit of work as a context-propagation {@code ThreadLocalAccessor}, registered while the context lives. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.context.ContextRegistry")
    @ConditionalOnProperty(prefix = PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
    static class ContextPropagationConfiguration {

        @Bean
        @ConditionalOnMissingBean
        QueryLensContextPropagation queryLensContextPropagation(QueryLens queryLens) {
            return new QueryLensContextPropagation(queryLens);
        }
    }

    /** Each {@code @Scheduled} method run a unit of work: {@code SCHEDULED <SimpleClassName>.<method>}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.scheduling.annotation.Scheduled")
    @ConditionalOnProperty(prefix = PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
    static class SchedulingConfiguration {

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static ScheduledUnitPostProcessor querylensScheduledUnitPostProcessor(ObjectProvider<QueryLens> queryLens) {
            return new ScheduledUnitPostProcessor(queryLens);
        }
    }

    /** Each Quartz job run a unit of work: {@code SCHEDULED <JobClassSimpleName>.execute}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.quartz.Scheduler", "org.springframework.scheduling.quartz.SchedulerFactoryBean"})
    @ConditionalOnProperty(prefix = PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
    static class QuartzConfiguration {

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static QuartzJobUnitPostProcessor querylensQuartzJobUnits(ObjectProvider<QueryLens> queryLens) {
            return new QuartzJobUnitPostProcessor(queryLens);
        }
    }

    /** Each Spring AMQP listener call a unit of work: {@code MESSAGE <queue>}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.amqp.rabbit.config.AbstractRabbitListenerContainerFactory")
    @ConditionalOnProperty(prefix = PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
    static class RabbitConfiguration {

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static RabbitListenerUnitPostProcessor querylensRabbitListenerUnits(ObjectProvider<QueryLens> queryLens) {
            return new RabbitListenerUnitPostProcessor(queryLens);
        }
    }

    /** Each Spring Kafka listener call a unit of work: {@code MESSAGE <topic>}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.kafka.config.AbstractKafkaListenerContainerFactory")
    @ConditionalOnProperty(prefix = PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
    static class KafkaConfiguration {

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static KafkaListenerUnitPostProcessor querylensKafkaListenerUnits(ObjectProvider<QueryLens> queryLens) {
            return new KafkaListenerUnitPostProcessor(queryLens);
        }
    }

    /** Each Spring JMS listener call a unit of work: {@code MESSAGE <queue or topic>}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.jms.config.JmsListenerContainerFactory", "jakarta.jms.Message"})
    @ConditionalOnProperty(prefix = PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
    static class JmsConfiguration {

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static JmsListenerUnitPostProcessor querylensJmsListenerUnits(ObjectProvider<QueryLens> queryLens) {
            return new JmsListenerUnitPostProcessor(queryLens);
        }
    }

    /** Each servlet request a unit of work named by its Spring MVC route template. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = {"org.springframework.web.servlet.DispatcherServlet", "jakarta.servlet.Filter"})
    @ConditionalOnProperty(prefix = PREFIX, name = {"enabled", "web.enabled"}, havingValue = "true", matchIfMissing = true)
    static class WebMvcConfiguration {

        /** First in the chain, so that SQL run by other filters (security's user lookup) counts for the request. */
        @Bean
        @ConditionalOnMissingBean(name = "querylensWebFilter")
        FilterRegistrationBean<QueryLensWebFilter> querylensWebFilter(QueryLens queryLens) {
            FilterRegistrationBean<QueryLensWebFilter> registration =
                    new FilterRegistrationBean<>(new QueryLensWebFilter(queryLens));
            registration.setName("querylensWebFilter");
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
            return registration;
        }

        /**
         * Names the unit by its route as soon as the handler is chosen, in every handler mapping, and marks the
         * rendering of the handler's view.
         */
        @Bean
        @ConditionalOnMissingBean(name = "querylensHandlerInterceptor")
        MappedInterceptor querylensHandlerInterceptor(QueryLens queryLens) {
            return new MappedInterceptor(null, new QueryLensHandlerInterceptor(queryLens));
        }
    }

    /** {@code /actuator/querylens}, when Actuator is there and the endpoint is exposed. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
            "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
    @ConditionalOnProperty(prefix = PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
    static class ActuatorConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint
        QueryLensEndpoint queryLensEndpoint(QueryLens queryLens) {
            return new QueryLensEndpoint(queryLens);
        }
    }
}
