package dev.querylens.agent.log;

import dev.querylens.agent.AgentLog;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** WARN and ERROR to stderr as one {@code [querylens]} line each; everything below is dropped. */
final class StderrLogger extends LegacyAbstractLogger {

    StderrLogger(String name) {
        this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
        return false;
    }

    @Override
    public boolean isDebugEnabled() {
        return false;
    }

    @Override
    public boolean isInfoEnabled() {
        return false;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                                               Throwable throwable) {
        if (level != Level.WARN && level != Level.ERROR) {
            return;
        }
        String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
        AgentLog.line(message, throwable);
    }
}
