package dev.querylens.agent;

import java.io.PrintStream;

/**
 * The agent's own lines: stderr, one line each, prefixed {@code [querylens]}. The application's logging is never
 * touched (core's SLF4J lines reach here through the shaded {@link dev.querylens.agent.log.StderrLoggerProvider}).
 */
public final class AgentLog {
    public static final String PREFIX = "[querylens] ";

    private AgentLog() {
    }

    public static void line(String message) {
        line(message, null);
    }

    /** One line; a throwable is summarised on the same line, never as a stack trace. */
    public static void line(String message, Throwable error) {
        try {
            StringBuilder sb = new StringBuilder(message.length() + 64);
            if (!message.startsWith(PREFIX)) {
                sb.append(PREFIX);
            }
            sb.append(message.replace('\n', ' '));
            if (error != null) {
                sb.append(" (").append(describe(error)).append(')');
            }
            PrintStream err = System.err;
            err.println(sb);
        } catch (Throwable ignored) {
            // logging must never fail the application
        }
    }

    static String describe(Throwable error) {
        StringBuilder sb = new StringBuilder(String.valueOf(error).replace('\n', ' '));
        Throwable cause = error.getCause();
        for (int i = 0; cause != null && cause != error && i < 3; i++, cause = cause.getCause()) {
            sb.append("; caused by ").append(String.valueOf(cause).replace('\n', ' '));
        }
        return sb.toString();
    }
}
