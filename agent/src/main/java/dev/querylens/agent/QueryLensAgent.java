package dev.querylens.agent;

import java.lang.instrument.Instrumentation;

/**
 * Entry point of {@code -javaagent:querylens-agent.jar[=key=value,...]} (and of a late attach). Never stops the
 * application: anything that fails here logs one {@code [querylens]} line and the application starts without
 * Querylens.
 *
 * <p>The agent's classes are loaded by the application class loader (the JVM appends the agent jar to the class
 * path); the inlined advice reaches {@link dev.querylens.agent.hooks.Hooks} through it. Nothing is appended to the
 * bootstrap class path, which would turn off class data sharing for the application's classes.
 */
public final class QueryLensAgent {

    private static boolean started;

    private QueryLensAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst);
    }

    private static synchronized void start(String args, Instrumentation inst) {
        if (started) {
            System.err.println("[querylens] agent already installed; ignoring the second -javaagent or attach");
            return;
        }
        started = true;
        try {
            if (Installer.enabled(args)) {
                Installer.install(inst);
            }
        } catch (Throwable t) {
            String message = "[querylens] agent not installed; the application runs without Querylens ("
                    + t + (t.getCause() == null ? "" : "; caused by " + t.getCause()) + ")";
            System.err.println(message.replace('\n', ' '));
        }
    }
}
