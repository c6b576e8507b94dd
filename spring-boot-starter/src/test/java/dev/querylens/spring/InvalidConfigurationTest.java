package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import dev.querylens.core.QueryLensConfig;
import dev.querylens.core.testing.SettingEdges;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.stream.Stream;

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
            assertThat(messages(context.getStartupFailure())).contains("querylens.log.finding-interval").contains("a duration from 0 to 30d");
        });
    }

    @Test
    void explainStatementTimeoutBelowOneSecondFailsTheContext() {
        runner.withPropertyValues("querylens.explain.statement-timeout=200ms").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("querylens.explain.statement-timeout").contains("from 1s to 10m");
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

    /** What a real application prints when it fails to start with {@code property}. */
    private static String startupReport(CapturedOutput output, String property) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties(property, "spring.main.banner-mode=off")
                .run().close())
                .isNotNull();
        assertThat(output.toString()).contains("APPLICATION FAILED TO START");
        return output.toString();
    }

    @Test
    void applicationFailsToStartWithBootsFailureReport(CapturedOutput output) {
        assertThat(startupReport(output, "querylens.duplicates.threshold=100001"))
                .contains("Property: querylens.duplicates.threshold")
                .contains("Value: \"100001\"")
                .contains("expected a whole number from 2 to 100000");
    }

    /**
     * Every core key, through Spring's binding: its minimum and maximum reach core as they are; one past either end
     * and garbage stop the context naming the key and the range (or, where Spring cannot convert the text, the key).
     */
    @TestFactory
    Stream<DynamicTest> everyCoreKeyAtItsEdges() {
        return QueryLensConfig.SETTINGS.stream().map(s -> DynamicTest.dynamicTest(s.key(), () -> {
            SettingEdges e = SettingEdges.of(s);
            for (String ok : List.of(e.min(), e.max())) {
                runner.withPropertyValues(s.key() + "=" + ok).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat((Object) context.getBean(QueryLens.class).config().get(s)).as(s.key() + "=" + ok)
                            .isEqualTo(s.read(ok));
                });
            }
            for (String bad : e.rejected()) {
                runner.withPropertyValues(s.key() + "=" + bad).run(context -> {
                    assertThat(context).as(s.key() + "=" + bad).hasFailed();
                    // the startup report, whether Spring could convert the text or not
                    FailureAnalysis report = new QueryLensBindFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(report).as(s.key() + "=" + bad).isNotNull();
                    assertThat(report.getDescription())
                            .contains("Property: " + s.key() + "\n")
                            .contains("Value: \"" + bad + "\"")
                            .contains("Reason: " + s.rejection(bad));
                });
            }
        }));
    }

    @Test
    void textSpringCannotConvertIsReportedWithTheRange(CapturedOutput output) {
        assertThat(startupReport(output, "querylens.fingerprint.cache-size=lots"))
                .contains("Property: querylens.fingerprint.cache-size")
                .contains("Value: \"lots\"")
                .contains("querylens.fingerprint.cache-size='lots' is not accepted; expected a whole number from 0 to 1000000");
    }

    @Test
    void aDurationTooLongForTheDatabaseIsReportedNotThrownLater(CapturedOutput output) {
        assertThat(startupReport(output, "querylens.explain.statement-timeout=PT1000000000H"))
                .contains("Property: querylens.explain.statement-timeout")
                .contains("Value: \"PT1000000000H\"")
                .contains("expected a duration from 1s to 10m");
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
