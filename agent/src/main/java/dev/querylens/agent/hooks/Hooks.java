package dev.querylens.agent.hooks;

import dev.querylens.core.jdbc.DataSourceTopology;

/**
 * Entry points of the inlined advice, reached through the application class loader (where the JVM puts the agent
 * jar). JDK types only, and core's {@code getConnection} call-depth guard (itself JDK-only). Cheap: a thread-local
 * call depth and a volatile read; never throws.
 */
public final class Hooks {

    /** Enter token: the advice did not count this call (an error, or the agent is not ready). */
    public static final int NOT_COUNTED = 0;
    /** Enter token: a {@code getConnection} inside another one on the same thread. */
    public static final int NESTED = 1;
    /** Enter token: the outermost {@code getConnection} on the thread. */
    public static final int OUTERMOST = 2;


    private static volatile Dispatcher dispatcher;

    private Hooks() {
    }

    /** Called once by the agent when everything behind the hooks is ready. */
    public static void install(Dispatcher d) {
        dispatcher = d;
    }

    public static int enterGetConnection() {
        try {
            return DataSourceTopology.enterGetConnection() ? OUTERMOST : NESTED;
        } catch (Throwable t) {
            return NOT_COUNTED;
        }
    }

    public static Object exitGetConnection(int token, Object dataSource, Object connection) {
        if (token == NOT_COUNTED) {
            return connection;
        }
        try {
            DataSourceTopology.exitGetConnection();
            Dispatcher d = dispatcher;
            if (token != OUTERMOST || d == null || connection == null) {
                return connection;
            }
            Object wrapped = d.connection(dataSource, connection);
            return wrapped == null ? connection : wrapped;
        } catch (Throwable t) {
            return connection;
        }
    }

    /**
     * Every servlet dispatch is handed on: core's request units keep the call depth, so that only the outermost
     * dispatch on the thread is a unit of work.
     */
    public static Object enterRequest(Object request) {
        try {
            Dispatcher d = dispatcher;
            return d == null ? null : d.beginRequest(request);
        } catch (Throwable t) {
            return null;
        }
    }

    public static void exitRequest(Object token, Object request, Object response) {
        if (token == null) {
            return;
        }
        try {
            Dispatcher d = dispatcher;
            if (d != null) {
                d.endRequest(token, request, response);
            }
        } catch (Throwable t) {
            // never reaches the application
        }
    }

    /** {@code DispatcherServlet.render} starts: returns the token for {@link #exitViewRendering}, or null. */
    public static Object enterViewRendering(Object request) {
        try {
            Dispatcher d = dispatcher;
            return d == null ? null : d.beginViewRendering(request);
        } catch (Throwable t) {
            return null;
        }
    }

    public static void exitViewRendering(Object token) {
        if (token == null) {
            return;
        }
        try {
            Dispatcher d = dispatcher;
            if (d != null) {
                d.endViewRendering(token);
            }
        } catch (Throwable t) {
            // never reaches the application
        }
    }
}
