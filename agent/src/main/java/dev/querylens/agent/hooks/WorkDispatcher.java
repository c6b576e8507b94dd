package dev.querylens.agent.hooks;

/**
 * What the advice for work beyond servlet requests calls into, through {@link WorkHooks} and {@link TaskHooks}:
 * carrying a unit of work into tasks handed to executors, and the units of scheduled jobs and message listeners.
 * Its signatures use {@code Object} only, so the advice never names a core, Spring or messaging type.
 */
public abstract class WorkDispatcher {

    /** The unit of work open on this thread, to carry into a task; {@code null} when none is. */
    public abstract Object carry();

    /** Runs this thread in {@code unit} (from {@link #carry()}) until {@link #detach} gets the returned scope. */
    public abstract Object attach(Object unit);

    public abstract void detach(Object scope);

    /**
     * True when an executor passes the task it is given on untouched to its own hooks (a task wrapped for carrying
     * reaches {@code beforeExecute}, {@code afterExecute}, {@code newTaskFor} or {@code decorateTask} of a subclass
     * otherwise, which may cast it to its own type).
     */
    public abstract boolean carriesInto(Object executor);

    /** Begins the unit of a {@code @Scheduled} method run ({@code ScheduledMethodRunnable}); {@code null} if none. */
    public abstract Object beginScheduledMethod(Object scheduledMethodRunnable);

    /** Begins the unit of a Quartz job's {@code execute}; {@code null} if none. */
    public abstract Object beginJob(Object job);

    /**
     * Begins the unit of a message listener call, named by the destination {@code message} came from (a RabbitMQ
     * {@code Message}, a Kafka {@code ConsumerRecord}, a JMS {@code Message}, or a batch of them); {@code null} if
     * none.
     */
    public abstract Object beginMessage(Object message);

    /** Ends a unit begun here. */
    public abstract void end(Object unit);
}
