package dev.querylens.spring;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.QueryLens;
import dev.querylens.core.QueryLensMeters;
import dev.querylens.core.testing.TestDatabases;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DataSources that delegate to other DataSources (routing, lazy-connection, transaction-aware, a pool over a
 * DataSource bean) still count each statement once, whichever bean the application uses.
 */
class NestedDataSourcesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(QueryLensAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    static class Router extends AbstractRoutingDataSource {
        static final ThreadLocal<String> KEY = new ThreadLocal<>();

        @Override
        protected Object determineCurrentLookupKey() {
            return KEY.get();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class LazyOverPool {
        @Bean(destroyMethod = "close")
        HikariDataSource pool() {
            return TestDatabases.h2();
        }

        @Bean
        @Primary
        LazyConnectionDataSourceProxy lazy(HikariDataSource pool) {
            return new LazyConnectionDataSourceProxy(pool);
        }

        @Bean
        TransactionAwareDataSourceProxy transactionAware(LazyConnectionDataSourceProxy lazy) {
            return new TransactionAwareDataSourceProxy(lazy);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class RoutingOverBeans {
        @Bean(destroyMethod = "close")
        HikariDataSource east() {
            return TestDatabases.h2();
        }

        @Bean(destroyMethod = "close")
        HikariDataSource west() {
            return TestDatabases.h2();
        }

        @Bean
        @Primary
        Router router(HikariDataSource east, HikariDataSource west) {
            Router router = new Router();
            router.setTargetDataSources(Map.of("east", east, "west", west));
            router.setDefaultTargetDataSource(east);
            return router;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class RoutingOverPrivatePools {
        @Bean
        Router router() {
            Router router = new Router();
            router.setTargetDataSources(Map.of("east", TestDatabases.h2(), "west", TestDatabases.h2()));
            return router;
        }

        @Bean
        LazyConnectionDataSourceProxy lazyOverPrivatePool() {
            return new LazyConnectionDataSourceProxy(TestDatabases.h2());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PoolOverDriverBean {
        @Bean
        DriverManagerDataSource driver() {
            return new DriverManagerDataSource("jdbc:h2:mem:qls_nested_driver;DB_CLOSE_DELAY=-1");
        }

        @Bean(destroyMethod = "close")
        @Primary
        HikariDataSource pool(DriverManagerDataSource driver) {
            HikariConfig config = new HikariConfig();
            config.setDataSource(driver);
            config.setMaximumPoolSize(2);
            return new HikariDataSource(config);
        }
    }

    /** Statements counted outside any unit of work, over all operations. */
    static double counted(MeterRegistry registry) {
        return registry.find(QueryLensMeters.STATEMENTS).tag("endpoint", QueryLensMeters.NO_ENDPOINT).counters()
                .stream().mapToDouble(Counter::count).sum();
    }

    static void select(DataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
    }

    static void assertCountedOnce(MeterRegistry registry, DataSource dataSource) throws Exception {
        double before = counted(registry);
        select(dataSource);
        assertThat(counted(registry) - before).as("statements counted for one SELECT").isEqualTo(1.0);
    }

    @Test
    void lazyAndTransactionAwareProxiesOverAPoolBeanCountOnce() {
        runner.withUserConfiguration(LazyOverPool.class).run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            // the pool makes the connections and wraps them; the delegating ones pass through
            assertThat(DataSourceWrappingPostProcessor.interceptorOf(context.getBean("pool")).passThrough()).isFalse();
            assertThat(DataSourceWrappingPostProcessor.interceptorOf(context.getBean("lazy")).passThrough()).isTrue();
            assertThat(DataSourceWrappingPostProcessor.interceptorOf(context.getBean("transactionAware")).passThrough()).isTrue();
            assertCountedOnce(registry, context.getBean("lazy", DataSource.class));
            assertCountedOnce(registry, context.getBean("transactionAware", DataSource.class));
            assertCountedOnce(registry, context.getBean("pool", DataSource.class));
        });
    }

    @Test
    void routingOverPoolBeansCountsOnce() {
        runner.withUserConfiguration(RoutingOverBeans.class).run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            Router router = context.getBean(Router.class);
            assertThat(DataSourceWrappingPostProcessor.interceptorOf(router).passThrough()).isTrue();
            Router.KEY.set("west");
            try {
                assertCountedOnce(registry, router);
            } finally {
                Router.KEY.remove();
            }
            assertCountedOnce(registry, router);
            assertCountedOnce(registry, context.getBean("east", DataSource.class));
        });
    }

    @Test
    void routingAndLazyOverPrivatePoolsWrapAtTheBean() {
        runner.withUserConfiguration(RoutingOverPrivatePools.class).run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            Router router = context.getBean(Router.class);
            assertThat(DataSourceWrappingPostProcessor.interceptorOf(router).passThrough()).isFalse();
            Router.KEY.set("east");
            try {
                assertCountedOnce(registry, router);
                try (Connection c = router.getConnection()) {
                    assertThat(QueryLens.isWrapped(c)).isTrue();
                }
            } finally {
                Router.KEY.remove();
            }
            assertCountedOnce(registry, context.getBean("lazyOverPrivatePool", DataSource.class));
        });
    }

    @Test
    void poolOverADataSourceBeanCountsOnce() {
        runner.withUserConfiguration(PoolOverDriverBean.class).run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(DataSourceWrappingPostProcessor.interceptorOf(context.getBean("pool")).passThrough()).isTrue();
            assertThat(DataSourceWrappingPostProcessor.interceptorOf(context.getBean("driver")).passThrough()).isFalse();
            assertCountedOnce(registry, context.getBean("pool", DataSource.class));
        });
    }

    /** A DataSource class that cannot be subclassed. */
    static final class SealedDataSource extends org.springframework.jdbc.datasource.DelegatingDataSource {
        SealedDataSource(DataSource target) {
            super(target);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SealedOverPool {
        @Bean(destroyMethod = "close")
        HikariDataSource pool() {
            return TestDatabases.h2();
        }

        @Bean
        SealedDataSource sealed(HikariDataSource pool) {
            return new SealedDataSource(pool);
        }
    }

    @Test
    void aFinalClassIsLeftAsItIsAndItsPoolBeanStillCounts() {
        runner.withUserConfiguration(SealedOverPool.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    SealedDataSource sealed = context.getBean(SealedDataSource.class);
                    assertThat(sealed.getClass()).isEqualTo(SealedDataSource.class);
                    assertCountedOnce(context.getBean(MeterRegistry.class), sealed);
                });
    }

    @Test
    void aConnectionWrappedElsewhereIsNotWrappedAgain() {
        // a DataSource whose connections some copy of Querylens (here: another instance, as the agent would) wraps
        QueryLens other = QueryLens.builder().meterRegistry(new SimpleMeterRegistry()).build();
        runner.withBean("prewrapped", DataSource.class, () -> other.wrap(TestDatabases.h2(), "agent"))
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    double before = counted(registry);
                    select(context.getBean(DataSource.class));
                    assertThat(counted(registry)).isEqualTo(before);
                    assertThat(counted(other.meterRegistry())).isEqualTo(1.0);
                });
    }
}
