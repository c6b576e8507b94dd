package dev.querylens.spring;

import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.QueryLens;
import dev.querylens.core.QueryLensConfig;
import dev.querylens.core.Setting;
import dev.querylens.core.QueryLensMeters;
import dev.querylens.core.testing.TestDatabases;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** Every branch of the auto-configuration, without a server: one {@link ApplicationContextRunner} per case. */
class QueryLensAutoConfigurationTest {

    private static final String EXPOSE = "management.endpoints.web.exposure.include=querylens";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(QueryLensAutoConfiguration.class))
            .withPropertyValues(EXPOSE);

    @Configuration(proxyBeanMethods = false)
    static class AppBeans {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean(destroyMethod = "close")
        HikariDataSource dataSource() {
            return TestDatabases.h2();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoDataSources {
        @Bean(destroyMethod = "close")
        HikariDataSource primary() {
            return TestDatabases.h2();
        }

        @Bean(destroyMethod = "close")
        HikariDataSource reporting() {
            return TestDatabases.h2();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnQueryLens {
        static final MeterRegistry OWN_REGISTRY = new SimpleMeterRegistry();

        @Bean
        QueryLens myQueryLens() {
            return QueryLens.builder().meterRegistry(OWN_REGISTRY).build();
        }
    }

    static void runStatement(DataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
    }

    static boolean connectionIsWrapped(DataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            return QueryLens.isWrapped(c);
        }
    }

    @Test
    void defaultsWireEverythingOnTheApplicationsRegistry() {
        runner.withUserConfiguration(AppBeans.class).run(context -> {
            assertThat(context).hasNotFailed();
            QueryLens lens = context.getBean(QueryLens.class);
            assertThat(lens.meterRegistry()).isSameAs(context.getBean(MeterRegistry.class));
            assertThat(lens.config().enabled()).isTrue();

            // the bean keeps its class: injection by HikariDataSource works, and it is a class-based proxy
            HikariDataSource hikari = context.getBean(HikariDataSource.class);
            assertThat(AopUtils.isCglibProxy(hikari)).isTrue();
            assertThat(DataSourceWrappingPostProcessor.interceptorOf(hikari).passThrough()).isFalse();
            assertThat(connectionIsWrapped(hikari)).isTrue();
            assertThat(hikari.getMaximumPoolSize()).isEqualTo(4);

            assertThat(context).hasSingleBean(QueryLensScopes.class);
            assertThat(context).hasSingleBean(DataSourceWrappingPostProcessor.class);
            assertThat(context).hasSingleBean(QueryLensScopePostProcessor.class);
            assertThat(context).hasSingleBean(QueryLensEndpoint.class);
            // not a web application: no filter
            assertThat(context).doesNotHaveBean("querylensWebFilter");
            // core's meters are registered in the application's registry
            assertThat(context.getBean(MeterRegistry.class).find(QueryLensMeters.INTERNAL_ERRORS).counter()).isNotNull();
        });
    }

    /** Observer beans, in their {@code @Order}: the first throws on every statement, the next two record. */
    @Configuration(proxyBeanMethods = false)
    static class Observers {
        static final java.util.List<String> SEEN = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Bean
        @org.springframework.core.annotation.Order(3)
        dev.querylens.core.StatementObserver last() {
            return (endpoint, sql, execution, query) -> SEEN.add("last " + sql.fingerprint().normalized());
        }

        @Bean
        @org.springframework.core.annotation.Order(1)
        dev.querylens.core.StatementObserver throwing() {
            return (endpoint, sql, execution, query) -> {
                throw new IllegalStateException("injected: an observer that fails");
            };
        }

        @Bean
        @org.springframework.core.annotation.Order(2)
        dev.querylens.core.StatementObserver first() {
            return (endpoint, sql, execution, query) -> SEEN.add("first " + endpoint);
        }
    }

    @Test
    void statementObserverBeansSeeEveryStatementInOrderPastOneThatThrows() {
        Observers.SEEN.clear();
        runner.withUserConfiguration(AppBeans.class, Observers.class).run(context -> {
            assertThat(context).hasNotFailed();
            HikariDataSource hikari = context.getBean(HikariDataSource.class);
            runStatement(hikari);
            runStatement(hikari);
            assertThat(Observers.SEEN).containsExactly("first none", "last select ?", "first none", "last select ?");
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get(QueryLensMeters.INTERNAL_ERRORS).counter().count()).isEqualTo(2.0);
            assertThat(registry.get(QueryLensMeters.STATEMENTS).tag("endpoint", "none").tag("operation", "select")
                    .counter().count()).as("the failing observer takes nothing from the counting").isEqualTo(2.0);
        });
        Observers.SEEN.clear();
        runner.withUserConfiguration(AppBeans.class, Observers.class).withPropertyValues("querylens.enabled=false")
                .run(context -> {
                    runStatement(context.getBean(HikariDataSource.class));
                    assertThat(Observers.SEEN).as("disabled: no observer is called").isEmpty();
                });
    }

    @Test
    void defaultsAreCoresDefaults() {
        runner.run(context -> {
            QueryLensConfig bound = context.getBean(QueryLensProperties.class).toConfig();
            for (Setting<?> setting : QueryLensConfig.SETTINGS) {
                assertThat(bound.get(setting)).as(setting.key()).isEqualTo(setting.defaultValue());
            }
            assertThat(context.getBean(QueryLens.class).config().values()).as("defaults as given").hasSize(QueryLensConfig.SETTINGS.size());
        });
    }

    @Test
    void propertiesReachCore() {
        runner.withUserConfiguration(AppBeans.class)
                .withPropertyValues("querylens.nplusone.threshold=7", "querylens.duplicates.threshold=4",
                        "querylens.endpoints.max=50", "querylens.tables.max=60", "querylens.findings.max=70",
                        "querylens.unit.max-fingerprints=80", "querylens.fingerprint.cache-size=90",
                        "querylens.fingerprint.max-sql-length=1000", "querylens.callsite.exclude-packages=com.acme.db,org.example.dao",
                        "querylens.log.finding-interval=30s", "querylens.explain.enabled=false",
                        "querylens.explain.interval=1h", "querylens.explain.max-per-minute=5",
                        "querylens.explain.queue-size=8", "querylens.explain.connection-timeout=1s",
                        "querylens.explain.statement-timeout=5s", "querylens.explain.lock-timeout=100ms",
                        "querylens.seqscan.min-rows=500000")
                .run(context -> {
                    QueryLensConfig c = context.getBean(QueryLens.class).config();
                    assertThat(c.nPlusOneThreshold()).isEqualTo(7);
                    assertThat(c.duplicatesThreshold()).isEqualTo(4);
                    assertThat(c.endpointsMax()).isEqualTo(50);
                    assertThat(c.tablesMax()).isEqualTo(60);
                    assertThat(c.findingsMax()).isEqualTo(70);
                    assertThat(c.unitMaxFingerprints()).isEqualTo(80);
                    assertThat(c.fingerprintCacheSize()).isEqualTo(90);
                    assertThat(c.fingerprintMaxSqlLength()).isEqualTo(1000);
                    assertThat(c.callSiteExcludePackages()).containsExactly("com.acme.db", "org.example.dao");
                    assertThat(c.logFindingInterval()).hasSeconds(30);
                    assertThat(c.explainEnabled()).isFalse();
                    assertThat(c.explainInterval()).hasHours(1);
                    assertThat(c.explainMaxPerMinute()).isEqualTo(5);
                    assertThat(c.explainQueueSize()).isEqualTo(8);
                    assertThat(c.explainConnectionTimeout()).hasSeconds(1);
                    assertThat(c.explainStatementTimeout()).hasSeconds(5);
                    assertThat(c.explainLockTimeout()).hasMillis(100);
                    assertThat(c.seqScanMinRows()).isEqualTo(500_000);
                });
    }

    @Test
    void disabledByPropertyTurnsEverythingOff() {
        runner.withUserConfiguration(AppBeans.class).withPropertyValues("querylens.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            // a bean that does nothing stays, for code that injects it
            QueryLens lens = context.getBean(QueryLens.class);
            assertThat(lens.config().enabled()).isFalse();
            assertThat(lens.meterRegistry()).isNotSameAs(context.getBean(MeterRegistry.class));

            HikariDataSource hikari = context.getBean(HikariDataSource.class);
            assertThat(AopUtils.isAopProxy(hikari)).isFalse();
            assertThat(connectionIsWrapped(hikari)).isFalse();
            assertThat(context).doesNotHaveBean(DataSourceWrappingPostProcessor.class);
            assertThat(context).doesNotHaveBean(QueryLensScopePostProcessor.class);
            assertThat(context).doesNotHaveBean(QueryLensEndpoint.class);
            assertThat(context.getBean(MeterRegistry.class).getMeters())
                    .noneMatch(m -> m.getId().getName().startsWith("querylens"));
        });
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(QueryLensAutoConfiguration.class))
                .withPropertyValues("querylens.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("querylensWebFilter"));
    }

    @Test
    void userDefinedBeansWin() {
        runner.withUserConfiguration(AppBeans.class, OwnQueryLens.class).run(context -> {
            assertThat(context).hasSingleBean(QueryLens.class);
            QueryLens lens = context.getBean(QueryLens.class);
            assertThat(lens).isSameAs(context.getBean("myQueryLens"));
            assertThat(lens.meterRegistry()).isSameAs(OwnQueryLens.OWN_REGISTRY);
            // the starter's parts use the application's own QueryLens
            assertThat(context.getBean(QueryLensScopes.class)).isNotNull();
            assertThat(connectionIsWrapped(context.getBean(DataSource.class))).isTrue();
        });
        QueryLensEndpoint own = new QueryLensEndpoint(QueryLens.builder().meterRegistry(new SimpleMeterRegistry()).build());
        runner.withBean("ownEndpoint", QueryLensEndpoint.class, () -> own)
                .run(context -> assertThat(context.getBean(QueryLensEndpoint.class)).isSameAs(own));
    }

    @Test
    void withoutActuatorThereIsNoEndpointAndTheRestWorks() {
        runner.withUserConfiguration(AppBeans.class)
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(QueryLensEndpoint.class);
                    assertThat(context).hasSingleBean(QueryLens.class);
                    assertThat(connectionIsWrapped(context.getBean(DataSource.class))).isTrue();
                });
    }

    @Test
    void endpointNeedsExposureLikeAnyOther() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(QueryLensAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(QueryLens.class);
                    assertThat(context).doesNotHaveBean(QueryLensEndpoint.class);
                });
    }

    @Test
    void withoutMicrometerInTheApplicationFindingsStillWork() {
        // no MeterRegistry bean, and neither Boot 4's nor Boot 3's metrics auto-configuration on the class path
        runner.withBean("dataSource", HikariDataSource.class, TestDatabases::h2)
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.micrometer",
                        "org.springframework.boot.actuate.autoconfigure.metrics"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(MeterRegistry.class);
                    QueryLens lens = context.getBean(QueryLens.class);
                    assertThat(lens.meterRegistry()).isInstanceOf(SimpleMeterRegistry.class);
                    assertThat(connectionIsWrapped(context.getBean(DataSource.class))).isTrue();
                    assertThat(context).hasSingleBean(QueryLensEndpoint.class);
                });
    }

    @Test
    void withoutJdbcNothingIsWrappedAndTheContextStarts() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.jdbc", "com.zaxxer.hikari",
                        "org.springframework.boot.jdbc", "org.springframework.boot.autoconfigure.jdbc"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(DataSourceWrappingPostProcessor.class);
                    assertThat(context).hasSingleBean(QueryLens.class);
                    assertThat(context).hasSingleBean(QueryLensScopePostProcessor.class);
                });
    }

    @Test
    void excludedBeanNamesAreLeftAlone() {
        runner.withUserConfiguration(TwoDataSources.class)
                .withPropertyValues("querylens.excluded-datasource-beans=reporting")
                .run(context -> {
                    DataSource primary = context.getBean("primary", DataSource.class);
                    DataSource reporting = context.getBean("reporting", DataSource.class);
                    assertThat(AopUtils.isAopProxy(primary)).isTrue();
                    assertThat(connectionIsWrapped(primary)).isTrue();
                    assertThat(AopUtils.isAopProxy(reporting)).isFalse();
                    assertThat(connectionIsWrapped(reporting)).isFalse();
                });
    }

    @Test
    void webApplicationsGetTheFilterFirstInTheChain() {
        WebApplicationContextRunner web = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(QueryLensAutoConfiguration.class));
        web.run(context -> {
            FilterRegistrationBean<?> registration = context.getBean("querylensWebFilter", FilterRegistrationBean.class);
            assertThat(registration.getFilter()).isInstanceOf(QueryLensWebFilter.class);
            assertThat(registration.getOrder()).isEqualTo(org.springframework.core.Ordered.HIGHEST_PRECEDENCE);
            assertThat(context.getBean("querylensHandlerInterceptor", org.springframework.web.servlet.handler.MappedInterceptor.class)
                    .getInterceptor()).isInstanceOf(QueryLensHandlerInterceptor.class);
        });
        web.withPropertyValues("querylens.web.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean("querylensWebFilter");
                    assertThat(context).doesNotHaveBean("querylensHandlerInterceptor");
                    assertThat(context).hasSingleBean(DataSourceWrappingPostProcessor.class);
                });
        web.withClassLoader(new FilteredClassLoader("org.springframework.web.servlet"))
                .run(context -> assertThat(context).doesNotHaveBean("querylensWebFilter"));
    }
}
