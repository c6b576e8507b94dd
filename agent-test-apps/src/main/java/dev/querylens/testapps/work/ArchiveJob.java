package dev.querylens.testapps.work;

import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A Quartz job with the N+1, scheduled by {@link QuartzJobs}. Spring Boot's job factory makes one per run and
 * injects its dependencies.
 */
public class ArchiveJob implements Job {

    private Library library;

    @Autowired
    public void setLibrary(Library library) {
        this.library = library;
    }

    @Override
    public void execute(JobExecutionContext context) {
        library.report();
    }
}
