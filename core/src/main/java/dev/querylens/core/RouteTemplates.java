package dev.querylens.core;

/**
 * Turns a request path into a route template when the framework does not name one: path segments that look like
 * identifiers (whole numbers, UUIDs, long hexadecimal strings) become {@code {id}}, so {@code /orders/42/items}
 * and {@code /orders/43/items} are one endpoint, {@code /orders/{id}/items}. Pure and thread-safe.
 */
public final class RouteTemplates {

    /** What an identifier-like segment becomes. */
    public static final String ID = "{id}";
    /** Segments kept; the rest of a longer path is cut and marked with a trailing {@code /...}. */
    static final int MAX_SEGMENTS = 16;
    /** Characters kept of one segment that is not an identifier. */
    static final int MAX_SEGMENT_LENGTH = 64;
    /** Hexadecimal strings of this length or more (with at least one digit) count as identifiers. */
    static final int MIN_HEX_LENGTH = 16;

    private RouteTemplates() {
    }

    /**
     * The template of {@code path}: identifier-like segments replaced by {@code {id}}, path parameters
     * ({@code ;jsessionid=...}) dropped, empty segments collapsed. {@code null} or empty gives {@code /}.
     */
    public static String template(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder(Math.min(path.length(), 256) + 8);
        int segments = 0;
        int i = 0;
        int n = path.length();
        while (i < n) {
            while (i < n && path.charAt(i) == '/') {
                i++;
            }
            if (i >= n) {
                break;
            }
            int end = path.indexOf('/', i);
            if (end < 0) {
                end = n;
            }
            int semicolon = path.indexOf(';', i);
            int segmentEnd = semicolon >= 0 && semicolon < end ? semicolon : end;
            if (segmentEnd > i) {
                if (segments == MAX_SEGMENTS) {
                    out.append("/...");
                    return out.toString();
                }
                out.append('/');
                if (isIdentifier(path, i, segmentEnd)) {
                    out.append(ID);
                } else {
                    out.append(path, i, Math.min(segmentEnd, i + MAX_SEGMENT_LENGTH));
                }
                segments++;
            }
            i = end;
        }
        if (out.length() == 0) {
            return "/";
        }
        if (path.charAt(n - 1) == '/' && segments < MAX_SEGMENTS) {
            out.append('/');
        }
        return out.toString();
    }

    /** True for a whole number, a UUID, or a long hexadecimal string with at least one digit. */
    static boolean isIdentifier(CharSequence s, int from, int to) {
        int len = to - from;
        boolean allDigits = true;
        boolean allHex = true;
        boolean anyDigit = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            anyDigit |= digit;
            allDigits &= digit;
            allHex &= digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        }
        if (allDigits) {
            return true;
        }
        if (allHex && anyDigit && len >= MIN_HEX_LENGTH) {
            return true;
        }
        return len == 36 && isUuid(s, from);
    }

    private static boolean isUuid(CharSequence s, int from) {
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(from + i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }
}
