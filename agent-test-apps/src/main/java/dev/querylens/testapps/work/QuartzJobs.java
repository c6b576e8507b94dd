package dev.querylens.testapps.work;

import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

import java.util.Properties;

/** A plain Quartz scheduler (in memory, two threads) that runs {@link ArchiveJob} twice. */
@Component
public class QuartzJobs implements InitializingBean, DisposableBean {

    static final int RUNS = 2;

    private final Library library;
    private Scheduler scheduler;

    public QuartzJobs(Library library) {
        this.library = library;
    }

    @Override
    public void afterPropertiesSet() throws SchedulerException {
        ArchiveJob.library = library;
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "work-quartz");
        p.setProperty("org.quartz.threadPool.threadCount", "2");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        scheduler = new StdSchedulerFactory(p).getScheduler();
        scheduler.scheduleJob(JobBuilder.newJob(ArchiveJob.class).withIdentity("archive").build(),
                TriggerBuilder.newTrigger().startNow()
                        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(300)
                                .withRepeatCount(RUNS - 1)).build());
    }

    /** Starts the scheduler (once the schema exists: the test calls it). */
    void start() throws SchedulerException {
        if (!scheduler.isStarted()) {
            scheduler.start();
        }
    }

    @Override
    public void destroy() throws SchedulerException {
        scheduler.shutdown(false);
    }
}
