package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import dev.querylens.core.QueryLensMeters;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.listeners.JobListenerSupport;
import org.quartz.listeners.TriggerListenerSupport;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;

import javax.sql.DataSource;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quartz job runs as units of work with the starter, branch by branch: with Quartz and Spring's Quartz support, each
 * run of a job of a {@link SchedulerFactoryBean}'s scheduler (one worker thread here) is a unit named by its job
 * class, begun and ended on the worker thread, also when the job throws, when a trigger listener vetoes it and when a
 * job listener of the application's throws; a {@link Scheduler} bean gets the listener too; without either library,
 * or turned off, nothing is wired.
 */
class QuartzJobUnitsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(QueryLensAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withBean(DataSource.class, QuartzJobUnitsTest::h2);

    /** What each job saw on its worker thread: the unit it ran in ({@code none} outside any), by job class. */
    static final Map<String, String> SEEN = new ConcurrentHashMap<>();
    static volatile QueryLens lens;
    static volatile JdbcTemplate jdbc;

    @AfterEach
    void forget() {
        SEEN.clear();
        lens = null;
        jdbc = null;
    }

    private static DataSource h2() {
        return new DriverManagerDataSource("jdbc:h2:mem:quartz-units;DB_CLOSE_DELAY=-1");
    }

    /** Records the unit it runs in, and runs one statement. */
    public static class ReportJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            see(getClass());
            jdbc.queryForObject("select 1", Integer.class);
        }
    }

    public static class FailingJob implements Job {
        @Override
        public void execute(JobExecutionContext context) throws JobExecutionException {
            see(getClass());
            jdbc.queryForObject("select 1", Integer.class);
            throw new JobExecutionException("the job failed");
        }
    }

    /** Vetoed by {@link VetoingTriggers}: never runs. */
    public static class VetoedJob extends ReportJob {
    }

    /** Its run makes {@link ThrowingListener} throw: Quartz then skips the listeners after it. */
    public static class UnluckyJob extends ReportJob {
    }

    private static void see(Class<?> job) {
        String unit = lens.carry() == null ? "none" : lens.carry().endpoint();
        SEEN.put(job.getSimpleName(), unit);
    }

    static final class VetoingTriggers extends TriggerListenerSupport {
        @Override
        public String getName() {
            return "vetoing";
        }

        @Override
        public boolean vetoJobExecution(Trigger trigger, JobExecutionContext context) {
            return context.getJobDetail().getJobClass() == VetoedJob.class;
        }
    }

    static final class ThrowingListener extends JobListenerSupport {
        @Override
        public String getName() {
            return "throwing";
        }

        @Override
        public void jobWasExecuted(JobExecutionContext context, JobExecutionException jobException) {
            if (context.getJobDetail().getJobClass() == UnluckyJob.class) {
                throw new IllegalStateException("the application's listener failed");
            }
        }
    }

    /** A scheduler of one worker thread, with the application's own trigger and job listeners. */
    @Configuration(proxyBeanMethods = false)
    static class Quartz {
        @Bean
        SchedulerFactoryBean jobs() {
            SchedulerFactoryBean factory = new SchedulerFactoryBean();
            Properties p = new Properties();
            p.setProperty("org.quartz.scheduler.instanceName", "querylens-units-test");
            p.setProperty("org.quartz.threadPool.threadCount", "1");
            p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
            factory.setQuartzProperties(p);
            factory.setGlobalTriggerListeners(new VetoingTriggers());
            factory.setGlobalJobListeners(new ThrowingListener());
            factory.setWaitForJobsToCompleteOnShutdown(true);
            return factory;
        }
    }

    private static void runNow(Scheduler scheduler, Class<? extends Job> job) throws Exception {
        scheduler.scheduleJob(JobBuilder.newJob(job).build(), TriggerBuilder.newTrigger().startNow().build());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; jobs saw " + SEEN);
            }
            Thread.sleep(10);
        }
    }

    /** Units ended and published under {@code endpoint}: the per-unit summary counts one per unit. */
    private static long units(MeterRegistry registry, String endpoint) {
        DistributionSummary s = registry.find(QueryLensMeters.REQUEST_STATEMENTS).tag("endpoint", endpoint).summary();
        return s == null ? 0 : s.count();
    }

    private static double statements(MeterRegistry registry, String endpoint) {
        return registry.find(QueryLensMeters.STATEMENTS).tag("endpoint", endpoint).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    @Test
    void eachJobRunIsAUnitEndedOnItsWorkerThreadWhateverHappens() {
        runner.withUserConfiguration(Quartz.class).run(context -> {
            assertThat(context).hasSingleBean(QuartzJobUnitPostProcessor.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            lens = context.getBean(QueryLens.class);
            jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            Scheduler scheduler = context.getBean(Scheduler.class);
            assertThat(scheduler.isStarted()).isTrue();

            runNow(scheduler, ReportJob.class);
            await(() -> units(registry, "SCHEDULED ReportJob.execute") == 1, "the report job's unit");
            assertThat(SEEN).containsEntry("ReportJob", "SCHEDULED ReportJob.execute");
            assertThat(statements(registry, "SCHEDULED ReportJob.execute")).isEqualTo(1.0);

            // a job that throws: its unit still ends, with its statement
            runNow(scheduler, FailingJob.class);
            await(() -> units(registry, "SCHEDULED FailingJob.execute") == 1, "the failing job's unit");
            assertThat(SEEN).containsEntry("FailingJob", "SCHEDULED FailingJob.execute");
            assertThat(statements(registry, "SCHEDULED FailingJob.execute")).isEqualTo(1.0);

            // a vetoed run never begins a unit; a listener of the application's that throws keeps Quartz from
            // telling the listener the run ended: the next run on the thread ends it, and begins a unit of its own
            runNow(scheduler, VetoedJob.class);
            runNow(scheduler, UnluckyJob.class);
            await(() -> SEEN.containsKey("UnluckyJob"), "the unlucky job's run");
            SEEN.remove("ReportJob");
            runNow(scheduler, ReportJob.class);
            await(() -> units(registry, "SCHEDULED ReportJob.execute") == 2, "the second report job's unit");
            assertThat(SEEN).containsEntry("UnluckyJob", "SCHEDULED UnluckyJob.execute")
                    .containsEntry("ReportJob", "SCHEDULED ReportJob.execute")
                    .doesNotContainKey("VetoedJob");
            assertThat(units(registry, "SCHEDULED UnluckyJob.execute")).isEqualTo(1);
            assertThat(statements(registry, "SCHEDULED UnluckyJob.execute")).isEqualTo(1.0);
            assertThat(units(registry, "SCHEDULED VetoedJob.execute")).isZero();
            assertThat(statements(registry, "none")).isZero();
            assertThat(statements(registry, "SCHEDULED ReportJob.execute")).isEqualTo(2.0);

            // one listener per scheduler, after the application's own
            assertThat(scheduler.getListenerManager().getJobListeners()).extracting(JobListener::getName)
                    .containsExactly("throwing", QuartzJobUnitPostProcessor.LISTENER_NAME);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class PlainScheduler {
        @Bean(destroyMethod = "shutdown")
        Scheduler plainScheduler() throws Exception {
            Properties p = new Properties();
            p.setProperty("org.quartz.scheduler.instanceName", "querylens-units-plain");
            p.setProperty("org.quartz.threadPool.threadCount", "1");
            p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
            return new StdSchedulerFactory(p).getScheduler();
        }
    }

    @Test
    void aSchedulerBeanOfTheApplicationsOwnGetsTheListenerToo() {
        runner.withUserConfiguration(PlainScheduler.class).run(context -> {
            Scheduler scheduler = context.getBean(Scheduler.class);
            assertThat(scheduler.getListenerManager().getJobListener(QuartzJobUnitPostProcessor.LISTENER_NAME))
                    .isNotNull();
        });
    }

    @Test
    void withoutQuartzNothingIsWired() {
        runner.withClassLoader(new FilteredClassLoader("org.quartz"))
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(QuartzJobUnitPostProcessor.class));
    }

    @Test
    void withoutSpringsQuartzSupportNothingIsWired() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.scheduling.quartz"))
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(QuartzJobUnitPostProcessor.class));
    }

    @Test
    void turnedOffJobsRunInNoUnit() {
        runner.withUserConfiguration(Quartz.class).withPropertyValues("querylens.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(QuartzJobUnitPostProcessor.class);
            lens = context.getBean(QueryLens.class);
            jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            Scheduler scheduler = context.getBean(Scheduler.class);
            assertThat(scheduler.getListenerManager().getJobListener(QuartzJobUnitPostProcessor.LISTENER_NAME))
                    .isNull();
            runNow(scheduler, ReportJob.class);
            await(() -> SEEN.containsKey("ReportJob"), "the report job's run");
            assertThat(SEEN).containsEntry("ReportJob", "none");
        });
    }
}
