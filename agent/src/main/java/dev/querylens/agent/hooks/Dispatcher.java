package dev.querylens.agent.hooks;

/**
 * What the inlined advice calls into, through {@link Hooks}. Its signatures use {@code Object} only, so the advice
 * never names a JDBC, servlet or Micrometer type.
 */
public abstract class Dispatcher {

    /** The connection the application gets from the outermost {@code getConnection} on its thread. */
    public abstract Object connection(Object dataSource, Object connection);

    /** Begins the unit of work of an outermost servlet dispatch; returns its handle, or {@code null}. */
    public abstract Object beginRequest(Object request);

    /** Names (route template) and ends the unit of work {@code unit}. */
    public abstract void endRequest(Object unit, Object request);
}
