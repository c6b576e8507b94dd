package dev.querylens.agent.hooks;

/**
 * Entry points of the advice inlined into Spring's scheduling and messaging classes, reached through the class
 * loader that loads them (it delegates to the one holding the agent). JDK types only; never throws.
 */
public final class WorkHooks {

    private static volatile WorkDispatcher dispatcher;

    private WorkHooks() {
    }

    /** Called once by the agent when everything behind the hooks is ready. */
    public static void install(WorkDispatcher d) {
        dispatcher = d;
        TaskHooks.dispatcher = d;
    }

    static WorkDispatcher dispatcher() {
        return dispatcher;
    }

    public static Object enterScheduledMethod(Object runnable) {
        try {
            WorkDispatcher d = dispatcher;
            return d == null ? null : d.beginScheduledMethod(runnable);
        } catch (Throwable t) {
            return null;
        }
    }

    public static Object enterJob(Object job) {
        try {
            WorkDispatcher d = dispatcher;
            return d == null ? null : d.beginJob(job);
        } catch (Throwable t) {
            return null;
        }
    }

    public static Object enterMessage(Object message) {
        try {
            WorkDispatcher d = dispatcher;
            return d == null ? null : d.beginMessage(message);
        } catch (Throwable t) {
            return null;
        }
    }

    public static void exit(Object unit) {
        if (unit == null) {
            return;
        }
        try {
            WorkDispatcher d = dispatcher;
            if (d != null) {
                d.end(unit);
            }
        } catch (Throwable t) {
            // never reaches the application
        }
    }
}
