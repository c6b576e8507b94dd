package dev.querylens.testapps.work;

import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** A Quartz job with the N+1, scheduled by {@link QuartzJobs}. */
public class ArchiveJob implements Job {

    /** Quartz makes a job per run with its no-argument constructor: the library is handed over here. */
    static volatile Library library;

    @Override
    public void execute(JobExecutionContext context) {
        library.report();
    }
}
