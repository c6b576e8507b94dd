package dev.querylens.testapps.work;

import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.springframework.stereotype.Component;

/**
 * Runs {@link ArchiveJob} twice on Spring Boot's Quartz scheduler (in memory, two threads, not started with the
 * application: see work.properties).
 */
@Component
public class QuartzJobs {

    static final int RUNS = 2;

    private final Scheduler scheduler;

    public QuartzJobs(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Schedules the job and starts the scheduler (once the schema exists: the test calls it). */
    synchronized void start() throws SchedulerException {
        JobKey archive = JobKey.jobKey("archive");
        if (!scheduler.checkExists(archive)) {
            scheduler.scheduleJob(JobBuilder.newJob(ArchiveJob.class).withIdentity(archive).build(),
                    TriggerBuilder.newTrigger().startNow()
                            .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(300)
                                    .withRepeatCount(RUNS - 1)).build());
        }
        if (!scheduler.isStarted()) {
            scheduler.start();
        }
    }
}
