package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import dev.querylens.core.UnitNames;
import dev.querylens.core.UnitOfWork;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.ListenerManager;
import org.quartz.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;

/**
 * Makes each run of a Quartz job a unit of work named {@code SCHEDULED <JobClassSimpleName>.execute}, the name the
 * agent gives it, by the job class of the run's {@code JobDetail} (the application's class, never a proxy's). Adds a
 * global {@link JobListener} to the scheduler of every {@link SchedulerFactoryBean} (Spring Boot's and the
 * application's own) and of every {@link Scheduler} bean, after the application's own listeners. Quartz calls it on
 * the job's worker thread right before {@code execute} and right after it, also when {@code execute} threw; a run a
 * trigger listener vetoed never reaches it. A post-processor rather than Spring Boot's
 * {@code SchedulerFactoryBeanCustomizer}: that interface moved packages between Boot 3 and 4, and a scheduler the
 * application makes itself has no customizer.
 */
final class QuartzJobUnitPostProcessor implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(QuartzJobUnitPostProcessor.class);

    /** The listener's name in each scheduler: one per scheduler, however many beans lead to it. */
    static final String LISTENER_NAME = "querylens-job-units";

    private final UnitListener listener;

    QuartzJobUnitPostProcessor(ObjectProvider<QueryLens> lens) {
        this.listener = new UnitListener(new LazyQueryLens(lens));
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof SchedulerFactoryBean || bean instanceof Scheduler) {
            register(bean, beanName);
        }
        return bean;
    }

    private void register(Object bean, String beanName) {
        try {
            // a SchedulerFactoryBean has made its scheduler by now (afterPropertiesSet) and starts it later
            // (Lifecycle), so no job has run yet
            Scheduler scheduler = bean instanceof SchedulerFactoryBean factory ? factory.getScheduler() : (Scheduler) bean;
            ListenerManager listeners = scheduler.getListenerManager();
            if (listeners.getJobListener(LISTENER_NAME) == null) {
                // no matcher: every job of the scheduler
                listeners.addJobListener(listener);
            }
        } catch (Exception e) {
            // a remote scheduler has no listeners here
            log.info("[querylens] cannot add a job listener to the Quartz scheduler of '{}'; its jobs' SQL counts "
                    + "under none ({})", beanName, e.toString());
        }
    }

    /**
     * Begins the run's unit in {@code jobToBeExecuted} and ends it in {@code jobWasExecuted}, on the worker thread.
     * Quartz skips the listeners after one that throws: when a listener of the application's threw between the two
     * calls, the unit is ended at the next run on that thread instead, so a worker thread is never left in a unit.
     */
    static final class UnitListener implements JobListener {
        private static final String PLACE = "quartz-job";

        private final LazyQueryLens lens;
        /** The run this listener began on this thread and has not ended yet: at most one per worker thread. */
        private final ThreadLocal<Run> open = new ThreadLocal<>();

        UnitListener(LazyQueryLens lens) {
            this.lens = lens;
        }

        @Override
        public String getName() {
            return LISTENER_NAME;
        }

        @Override
        public void jobToBeExecuted(JobExecutionContext context) {
            try {
                Run left = open.get();
                if (left != null) {
                    open.remove();
                    FailOpen.end(left.work, PLACE);
                }
                // a job runs seconds apart at most: naming it each time costs nothing worth a cache
                UnitOfWork work = FailOpen.begin(lens, PLACE,
                        () -> UnitNames.scheduled(context.getJobDetail().getJobClass(), "execute"));
                open.set(new Run(context, work));
            } catch (Throwable t) {
                // an exception here would keep the job from running
                FailOpen.report(null, PLACE, t);
            }
        }

        @Override
        public void jobExecutionVetoed(JobExecutionContext context) {
            // vetoed before jobToBeExecuted: no unit was begun
        }

        @Override
        public void jobWasExecuted(JobExecutionContext context, JobExecutionException jobException) {
            try {
                Run run = open.get();
                if (run != null && run.context == context) {
                    open.remove();
                    FailOpen.end(run.work, PLACE);
                }
            } catch (Throwable t) {
                FailOpen.report(null, PLACE, t);
            }
        }
    }

    private record Run(JobExecutionContext context, UnitOfWork work) {
    }
}
