package dev.querylens.core.detect;

import java.util.Map;

/**
 * Where the application ran a statement that broke a rule.
 *
 * @param location the first application frame ({@code com.acme.OrderService.list(OrderService.java:42)}), or while
 *                 a view renders the handler method that produced the view
 *                 ({@code com.acme.OwnerController.processFindForm}); {@code null} when unknown
 * @param view     true when the statement ran while a view rendered (Thymeleaf, JSP, FreeMarker, Mustache...)
 * @param frame    while a view renders, the first application frame below the view engine, or {@code null}
 */
public record CallSite(String location, boolean view, String frame) {

    /** Not known: every frame belonged to a library. */
    public static final CallSite UNKNOWN = new CallSite(null, false, null);

    /** A call site outside view rendering. */
    public static CallSite at(String location) {
        return location == null ? UNKNOWN : new CallSite(location, false, null);
    }

    /** Facts for {@link Finding#details()}: how the load happened while a view rendered. */
    Map<String, String> details() {
        if (!view) {
            return Map.of();
        }
        return frame == null ? Map.of(DURING, VIEW_RENDERING) : Map.of(DURING, VIEW_RENDERING, FRAME, frame);
    }

    /**
     * The call site a rule wrote into {@code finding} (its {@link Finding#callSite()} and, while a view rendered, its
     * details): what {@link Rule#finding} was given, read back.
     */
    public static CallSite of(Finding finding) {
        Map<String, String> details = finding.details();
        if (!VIEW_RENDERING.equals(details.get(DURING))) {
            return at(finding.callSite());
        }
        return new CallSite(finding.callSite(), true, details.get(FRAME));
    }

    private static final String DURING = "during";
    private static final String VIEW_RENDERING = "view rendering";
    private static final String FRAME = "frame";
}
