package dev.querylens.spring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A value core does not accept stops the application, with Spring Boot's report naming key, value and what is accepted. */
@ExtendWith(OutputCaptureExtension.class)
class InvalidConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(QueryLensAutoConfiguration.class));

    @Test
    void outOfRangeValueFailsTheContextNamingTheKey() {
        runner.withPropertyValues("querylens.nplusone.threshold=1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains("querylens.nplusone.threshold")
                    .contains("'1' is not accepted")
                    .contains("a whole number from 2 to 100000");
        });
    }

    @Test
    void negativeDurationFailsTheContext() {
        runner.withPropertyValues("querylens.log.finding-interval=-5s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("querylens.log.finding-interval").contains("0 up");
        });
    }

    @Test
    void explainStatementTimeoutBelowOneSecondFailsTheContext() {
        runner.withPropertyValues("querylens.explain.statement-timeout=200ms").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("querylens.explain.statement-timeout").contains("from 1s up");
        });
    }

    @Test
    void valueOfTheWrongTypeFailsTheContext() {
        runner.withPropertyValues("querylens.fingerprint.cache-size=lots").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("querylens.fingerprint.cache-size");
        });
        runner.withPropertyValues("querylens.enabled=maybe").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("querylens.enabled");
        });
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(QueryLensAutoConfiguration.class)
    static class App {
    }

    @Test
    void applicationFailsToStartWithBootsFailureReport(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties("querylens.duplicates.threshold=100001", "spring.main.banner-mode=off")
                .run().close())
                .isNotNull();
        assertThat(output.toString())
                .contains("APPLICATION FAILED TO START")
                .contains("Property: querylens.duplicates.threshold")
                .contains("Value: \"100001\"")
                .contains("expected a whole number from 2 to 100000");
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
