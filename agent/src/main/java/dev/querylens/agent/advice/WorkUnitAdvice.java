package dev.querylens.agent.advice;

import dev.querylens.agent.hooks.WorkHooks;
import net.bytebuddy.asm.Advice;

/**
 * Units of work that are not requests, inlined into Spring's own entry points: a {@code @Scheduled} method run
 * ({@code ScheduledMethodRunnable.run}), a Quartz job's {@code execute}, and a message listener call (the Spring AMQP,
 * Kafka and JMS listener adapters). The outermost one on a thread is the unit; a call inside an open unit joins it.
 * References nothing but {@link WorkHooks}.
 */
public final class WorkUnitAdvice {

    private WorkUnitAdvice() {
    }

    /** {@code ScheduledMethodRunnable.run()}. */
    public static final class ScheduledMethod {
        private ScheduledMethod() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static Object enter(@Advice.This Object runnable) {
            return WorkHooks.enterScheduledMethod(runnable);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Advice.Enter Object unit) {
            WorkHooks.exit(unit);
        }
    }

    /** {@code org.quartz.Job.execute(JobExecutionContext)} of every job class. */
    public static final class Job {
        private Job() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static Object enter(@Advice.This Object job) {
            return WorkHooks.enterJob(job);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Advice.Enter Object unit) {
            WorkHooks.exit(unit);
        }
    }

    /** A listener adapter's {@code onMessage} (or {@code onMessageBatch}): the message, or batch, is argument 0. */
    public static final class Message {
        private Message() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static Object enter(@Advice.Argument(0) Object message) {
            return WorkHooks.enterMessage(message);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        public static void exit(@Advice.Enter Object unit) {
            WorkHooks.exit(unit);
        }
    }
}
