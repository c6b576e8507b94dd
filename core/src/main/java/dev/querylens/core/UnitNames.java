package dev.querylens.core;

import java.util.regex.Pattern;

/**
 * The names of units of work that are not HTTP requests, the same in the agent and the starter:
 * {@code SCHEDULED <SimpleClassName>.<method>} for a scheduled job run and {@code MESSAGE <queue or topic>} for a
 * message listener call. Names are tag values: a job is named by the application's own class (never a proxy's
 * generated one), and a destination keeps at most {@value #MAX_DESTINATION_LENGTH} characters with its
 * identifier-like parts (server-named and temporary queues) replaced by {@code {id}}, so that the number of names
 * stays bounded (and {@code querylens.endpoints.max} bounds it in the end).
 */
public final class UnitNames {

    /** Prefix of a scheduled job run: {@code @Scheduled} methods and Quartz jobs. */
    public static final String SCHEDULED = "SCHEDULED ";
    /** Prefix of a message listener call: RabbitMQ, Kafka, JMS. */
    public static final String MESSAGE = "MESSAGE ";
    /** The destination of a message whose queue or topic is not known. */
    public static final String UNKNOWN_DESTINATION = "unknown";
    static final int MAX_DESTINATION_LENGTH = 100;
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private UnitNames() {
    }

    /** {@code SCHEDULED NightlyReport.run}: the user's class behind a proxy, and the method. */
    public static String scheduled(Class<?> type, String method) {
        return SCHEDULED + simpleName(userClass(type)) + "." + method;
    }

    /** {@code MESSAGE orders.created}, from the queue or topic the message came from ({@code null}: unknown). */
    public static String message(String destination) {
        return MESSAGE + destination(destination);
    }

    /**
     * The application's class behind a generated one: Spring's CGLIB proxies ({@code Job$$SpringCGLIB$$0}), Byte
     * Buddy and Hibernate subclasses, and other classes whose name holds {@code $$} are named by their superclass.
     */
    public static Class<?> userClass(Class<?> type) {
        Class<?> c = type;
        while (c != null && c.getName().contains("$$") && c.getSuperclass() != null && c.getSuperclass() != Object.class) {
            c = c.getSuperclass();
        }
        return c == null ? type : c;
    }

    private static String simpleName(Class<?> type) {
        String simple = type.getSimpleName();
        if (!simple.isEmpty()) {
            return simple;
        }
        // anonymous or hidden: the binary name without its package
        String name = type.getName();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** A destination as a tag value: trimmed, identifier-like segments as {@code {id}}, bounded in length. */
    static String destination(String destination) {
        if (destination == null || destination.isBlank()) {
            return UNKNOWN_DESTINATION;
        }
        String d = destination.strip();
        if (d.length() > 4 * MAX_DESTINATION_LENGTH) {
            d = d.substring(0, 4 * MAX_DESTINATION_LENGTH);
        }
        d = UUID.matcher(d).replaceAll("{id}");
        StringBuilder out = new StringBuilder(Math.min(d.length(), MAX_DESTINATION_LENGTH));
        int start = 0;
        for (int i = 0; i <= d.length(); i++) {
            if (i == d.length() || isSeparator(d.charAt(i))) {
                String segment = d.substring(start, i);
                out.append(isIdentifier(segment) ? "{id}" : segment);
                if (i < d.length()) {
                    out.append(d.charAt(i));
                }
                start = i + 1;
            }
        }
        return out.length() <= MAX_DESTINATION_LENGTH ? out.toString() : out.substring(0, MAX_DESTINATION_LENGTH);
    }

    private static boolean isSeparator(char c) {
        return c == '.' || c == '-' || c == '_' || c == ':' || c == '/' || c == '@' || c == ' ';
    }

    /**
     * A number, or a segment of 8 or more characters that mixes letters and digits other than a word followed by a
     * number ({@code orders2024}): a server-named queue's {@code JzTY20BRgKO}, a UUID's parts. {@code v2},
     * {@code orders} and {@code orders.created} are kept.
     */
    static boolean isIdentifier(String segment) {
        if (segment.isEmpty()) {
            return false;
        }
        int digits = 0;
        int letters = 0;
        int firstDigit = -1;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c >= '0' && c <= '9') {
                if (firstDigit < 0) {
                    firstDigit = i;
                }
                digits++;
            } else if (Character.isLetter(c)) {
                letters++;
            }
        }
        if (digits == segment.length()) {
            return true;
        }
        boolean wordThenNumber = firstDigit > 0 && segment.length() - firstDigit == digits;
        return segment.length() >= 8 && digits > 0 && letters > 0 && !wordThenNumber;
    }
}
