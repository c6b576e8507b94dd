package dev.querylens.agent.hooks;

/**
 * What the inlined advice calls into, through {@link Hooks}. Its signatures use {@code Object} only, so the advice
 * never names a JDBC, servlet or Micrometer type.
 */
public abstract class Dispatcher {

    /** The connection the application gets from the outermost {@code getConnection} on its thread. */
    public abstract Object connection(Object dataSource, Object connection);

    /**
     * A servlet dispatch (a filter's or a servlet's) starts: returns the token for {@link #endRequest}, or
     * {@code null} when the agent takes no part in it.
     */
    public abstract Object beginRequest(Object request);

    /** The dispatch that {@link #beginRequest} returned {@code token} for ends, normally or by an exception. */
    public abstract void endRequest(Object token, Object request, Object response);

    /**
     * Spring MVC starts rendering the view of {@code request}'s handler: returns the token for
     * {@link #endViewRendering}, or {@code null} when the agent takes no part in it.
     */
    public Object beginViewRendering(Object request) {
        return null;
    }

    /** The rendering that {@link #beginViewRendering} returned {@code token} for ends. */
    public void endViewRendering(Object token) {
    }
}
