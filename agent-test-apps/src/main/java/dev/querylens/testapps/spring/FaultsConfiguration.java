package dev.querylens.testapps.spring;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code app.explain-faults=true}: the shop's pool is a {@link FaultyDataSource}, and its meter registry throws
 * when the N+1 counter is registered.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "app.explain-faults", havingValue = "true")
class FaultsConfiguration {

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    FaultyDataSource dataSource(DataSourceProperties properties) {
        FaultyDataSource ds = new FaultyDataSource();
        ds.setJdbcUrl(properties.determineUrl());
        ds.setUsername(properties.determineUsername());
        ds.setPassword(properties.determinePassword());
        return ds;
    }

    @Bean
    MeterFilter throwingOnNPlusOne() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().equals("querylens.nplusone")) {
                    throw new IllegalStateException("injected: the registry refuses " + id.getName());
                }
                return id;
            }
        };
    }
}
