package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import dev.querylens.core.UnitOfWork;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link QueryLensScope} and {@link QueryLensScopes} make jobs and listeners units of work. */
class QueryLensScopeTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(QueryLensAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withBean(InvoiceJob.class)
            .withBean(AuditListener.class);

    /** The name of the unit of work open on this thread: a nested begin joins it and reports its name. */
    static String currentUnit(QueryLens lens) {
        if (!lens.inUnitOfWork()) {
            return null;
        }
        try (UnitOfWork joined = lens.begin("ignored")) {
            return joined.endpoint();
        }
    }

    public static class InvoiceJob {
        private final QueryLens lens;

        public InvoiceJob(QueryLens lens) {
            this.lens = lens;
        }

        @QueryLensScope("nightly-invoicing")
        public String invoice() {
            return currentUnit(lens);
        }

        @QueryLensScope
        public String unnamed() {
            return currentUnit(lens);
        }

        @QueryLensScope("failing-job")
        public void fail() {
            throw new IllegalStateException("job failed");
        }

        public String notAScope() {
            return currentUnit(lens);
        }
    }

    @QueryLensScope("audit-listener")
    public static class AuditListener {
        private final QueryLens lens;

        public AuditListener(QueryLens lens) {
            this.lens = lens;
        }

        public String onMessage() {
            return currentUnit(lens);
        }
    }

    @Test
    void annotatedMethodsRunInTheirOwnUnitOfWork() {
        runner.run(context -> {
            QueryLens lens = context.getBean(QueryLens.class);
            InvoiceJob job = context.getBean(InvoiceJob.class);
            AuditListener listener = context.getBean(AuditListener.class);
            assertThat(AopUtils.isCglibProxy(job)).isTrue();

            assertThat(job.invoice()).isEqualTo("nightly-invoicing");
            assertThat(job.unnamed()).isEqualTo("InvoiceJob.unnamed");
            assertThat(job.notAScope()).isNull();
            assertThat(listener.onMessage()).isEqualTo("audit-listener");
            assertThat(lens.inUnitOfWork()).isFalse();

            // an exception ends the unit too
            assertThatThrownBy(job::fail).hasMessage("job failed");
            assertThat(lens.inUnitOfWork()).isFalse();

            // inside an open unit (an HTTP request), the scope joins it
            try (UnitOfWork request = lens.begin("GET /invoices")) {
                assertThat(job.invoice()).isEqualTo("GET /invoices");
            }
        });
    }

    @Test
    void programmaticScopes() {
        runner.run(context -> {
            QueryLens lens = context.getBean(QueryLens.class);
            QueryLensScopes scopes = context.getBean(QueryLensScopes.class);
            String[] seen = new String[1];
            scopes.run("outbox-relay", () -> seen[0] = currentUnit(lens));
            assertThat(seen[0]).isEqualTo("outbox-relay");
            assertThat(scopes.call("report", () -> currentUnit(lens))).isEqualTo("report");
            assertThat(lens.inUnitOfWork()).isFalse();
        });
    }

    @Test
    void disabledLeavesBeansUnproxied() {
        runner.withPropertyValues("querylens.enabled=false").run(context -> {
            assertThat(AopUtils.isAopProxy(context.getBean(InvoiceJob.class))).isFalse();
            // the programmatic API still runs the code
            assertThat(context.getBean(QueryLensScopes.class).call("x", () -> 42)).isEqualTo(42);
        });
    }
}
