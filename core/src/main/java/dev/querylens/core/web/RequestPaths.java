package dev.querylens.core.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The path of a request as the servlet container routes it: path parameters ({@code ;jsessionid=...}) removed,
 * percent-encoding decoded (UTF-8), empty segments collapsed, {@code .} and {@code ..} resolved (never above the
 * root). {@code /actuator;x/health}, {@code //actuator/health}, {@code /a/../actuator/health} and
 * {@code /%61ctuator/health} all normalise to {@code /actuator/health}, so no spelling slips past an exclusion. A
 * trailing slash is kept. Pure and thread-safe.
 */
public final class RequestPaths {

    /** Characters of a request URI that are read; the rest is ignored. */
    static final int MAX_LENGTH = 4096;

    private RequestPaths() {
    }

    /** The normalised form of {@code path}; {@code null} or empty gives {@code /}. */
    public static String normalize(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        if (path.length() > MAX_LENGTH) {
            path = path.substring(0, MAX_LENGTH);
        }
        if (isNormal(path)) {
            return path;
        }
        List<String> segments = new ArrayList<>();
        int n = path.length();
        int i = 0;
        while (i < n) {
            int end = path.indexOf('/', i);
            if (end < 0) {
                end = n;
            }
            int semicolon = path.indexOf(';', i);
            int segmentEnd = semicolon >= 0 && semicolon < end ? semicolon : end;
            String raw = path.substring(i, segmentEnd);
            String decoded = raw.indexOf('%') >= 0 ? decode(raw) : raw;
            // an encoded slash separates segments too: containers that let %2F through hand it on decoded
            for (String part : decoded.split("/", -1)) {
                if (part.isEmpty() || part.equals(".")) {
                    continue;
                }
                if (part.equals("..")) {
                    if (!segments.isEmpty()) {
                        segments.remove(segments.size() - 1);
                    }
                    continue;
                }
                segments.add(part);
            }
            i = end + 1;
        }
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder(path.length());
        for (String s : segments) {
            out.append('/').append(s);
        }
        if (path.charAt(n - 1) == '/') {
            out.append('/');
        }
        return out.toString();
    }

    /**
     * The normalised path inside the application: {@code requestUri} without {@code contextPath}, both normalised
     * first.
     */
    public static String withinApplication(String requestUri, String contextPath) {
        String path = normalize(requestUri);
        if (contextPath == null || contextPath.isEmpty() || contextPath.equals("/")) {
            return path;
        }
        String context = normalize(contextPath);
        if (context.endsWith("/")) {
            context = context.substring(0, context.length() - 1);
        }
        if (path.startsWith(context) && (path.length() == context.length() || path.charAt(context.length()) == '/')) {
            String rest = path.substring(context.length());
            return rest.isEmpty() ? "/" : rest;
        }
        return path;
    }

    /**
     * Whether the normalised {@code path} lies at or below one of {@code prefixes} (each normalised): {@code /actuator}
     * matches {@code /actuator} and {@code /actuator/health}, not {@code /actuators}.
     */
    public static boolean under(String path, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (prefix.equals("/")) {
                return true;
            }
            String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
            if (path.startsWith(p) && (path.length() == p.length() || path.charAt(p.length()) == '/')) {
                return true;
            }
        }
        return false;
    }

    /** The common case, checked without allocating: starts with '/', no '%', ';', '//', '.' segment. */
    private static boolean isNormal(String path) {
        if (path.charAt(0) != '/') {
            return false;
        }
        int n = path.length();
        for (int i = 0; i < n; i++) {
            char c = path.charAt(i);
            if (c == '%' || c == ';') {
                return false;
            }
            if (c == '/' && i + 1 < n) {
                char next = path.charAt(i + 1);
                if (next == '/') {
                    return false;
                }
                if (next == '.' && (i + 2 == n || path.charAt(i + 2) == '/'
                        || path.charAt(i + 2) == '.' && (i + 3 == n || path.charAt(i + 3) == '/'))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Percent-decodes one segment as UTF-8. A malformed escape or invalid UTF-8 is kept as it was, with its
     * {@code %}, so that the segment is judged an identifier rather than read as something it is not.
     */
    static String decode(String segment) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        int n = segment.length();
        for (int i = 0; i < n; i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= n) {
                    return segment;
                }
                int hi = Character.digit(segment.charAt(i + 1), 16);
                int lo = Character.digit(segment.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return segment;
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                int cp = segment.codePointAt(i);
                byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                i += Character.charCount(cp) - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return segment;
        }
    }
}
