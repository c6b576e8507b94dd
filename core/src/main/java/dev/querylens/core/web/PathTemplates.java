package dev.querylens.core.web;

import java.util.Set;

/**
 * Turns a request path into a route template when no framework names one. Every segment that could carry an
 * identifier, a secret or personal data becomes {@code {id}}, so that {@code /orders/42/items} and
 * {@code /orders/43/items} are one endpoint, {@code /orders/{id}/items}, and no tag ever holds a user's e-mail
 * address or a token. A segment is an identifier when, once percent-decoded, it:
 * <ul>
 * <li>holds a digit and no letter: numbers, dates, phone numbers, IP addresses, amounts;</li>
 * <li>mixes letters and digits (UUIDs, hashes, tokens such as {@code Zx8kP2qLmN7vR4tY}, codes such as
 *     {@code AB12CD}, {@code john99}), except an API version such as {@code v1} or {@code v2beta1} and a word
 *     ending in one digit such as {@code oauth2} or {@code dbcp2};</li>
 * <li>holds a character other than letters, digits, {@code -}, {@code _} and {@code .}: e-mail addresses
 *     ({@code @}), spaces, {@code +}, {@code =}, {@code ~}, quotes, non-ASCII letters (names such as
 *     {@code José}), anything left percent-encoded;</li>
 * <li>is dotted words other than a file name with a known extension: {@code john.smith}, {@code jane.m.doe}
 *     (but {@code index.html} stays);</li>
 * <li>is a long run of letters in mixed case with many capitals, as random tokens are
 *     ({@code ZxkPqLmNvRtYhJwB}), or is longer than {@value #MAX_WORD_LENGTH} characters.</li>
 * </ul>
 * Plain lowercase words, kebab-case and snake-case words and camelCase words are kept: they are how routes are
 * written. A bare word that is a name ({@code /users/john}) cannot be told from a route word: name such a route
 * with a framework route template, or exclude it. Pure and thread-safe.
 */
public final class PathTemplates {

    /** What an identifier-like segment becomes. */
    public static final String ID = "{id}";
    /** Segments kept; the rest of a longer path is cut and marked with a trailing {@code /...}. */
    static final int MAX_SEGMENTS = 16;
    /** Longer segments are identifiers (tokens, slugs of content): routes are not written with such words. */
    static final int MAX_WORD_LENGTH = 40;
    /** Letters-only segments from this length are judged by their capitals. */
    static final int MIN_TOKEN_LENGTH = 12;

    /** File extensions that make a dotted segment a file name rather than a dotted personal name. */
    private static final Set<String> FILE_EXTENSIONS = Set.of(
            "html", "htm", "xhtml", "css", "js", "mjs", "json", "xml", "txt", "csv", "pdf", "png", "jpg", "jpeg",
            "gif", "svg", "ico", "webp", "map", "woff", "ttf", "eot", "md", "yaml", "yml", "jsp", "jspx", "do",
            "action", "php", "asp", "aspx", "wasm", "zip", "gz", "tar", "rss", "atom", "webmanifest", "avif");

    private PathTemplates() {
    }

    /**
     * The template of the normalised {@code path} (see {@link RequestPaths#normalize(String)}): identifier-like
     * segments replaced by {@code {id}}. {@code null} or empty gives {@code /}.
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
            if (segments == MAX_SEGMENTS) {
                out.append("/...");
                return out.toString();
            }
            out.append('/');
            if (isIdentifier(path, i, end)) {
                out.append(ID);
            } else {
                out.append(path, i, end);
            }
            segments++;
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

    /** True when {@code s[from, to)} could carry an identifier, a secret or personal data: see the class comment. */
    static boolean isIdentifier(CharSequence s, int from, int to) {
        int len = to - from;
        if (len > MAX_WORD_LENGTH) {
            return true;
        }
        int digits = 0;
        int letters = 0;
        int upper = 0;
        int dots = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c >= 'a' && c <= 'z') {
                letters++;
            } else if (c >= 'A' && c <= 'Z') {
                letters++;
                upper++;
            } else if (c == '.') {
                dots++;
            } else if (c != '-' && c != '_') {
                // @ (e-mail), space, +, =, ~, %, quotes, non-ASCII letters: never a route word
                return true;
            }
        }
        if (digits > 0) {
            return letters == 0 || !mixedPartsAreWords(s, from, to);
        }
        if (letters == 0) {
            return false; // "-", "_", "..."-like punctuation only: harmless
        }
        if (dots > 0) {
            return !isFileName(s, from, to, dots);
        }
        // random tokens switch case often; camelCase route words have a capital per word
        return len >= MIN_TOKEN_LENGTH && upper * 4 >= letters && upper >= 4 && letters == len;
    }

    /**
     * For a segment of letters and digits: true when each part between {@code -}, {@code _} and {@code .} is a word
     * of letters, an API version ({@link #isVersion}) or a word ending in one digit ({@code oauth2}, {@code h2},
     * {@code dbcp2}). A part that is a number, or mixes letters and digits otherwise (tokens, hashes, codes,
     * {@code john99}), makes the segment an identifier.
     */
    private static boolean mixedPartsAreWords(CharSequence s, int from, int to) {
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || s.charAt(i) == '-' || s.charAt(i) == '_' || s.charAt(i) == '.') {
                if (i > start && !isWordPart(s, start, i)) {
                    return false;
                }
                start = i + 1;
            }
        }
        return true;
    }

    private static boolean isWordPart(CharSequence s, int from, int to) {
        int letters = 0;
        for (int i = from; i < to; i++) {
            if (Character.isLetter(s.charAt(i))) {
                letters++;
            }
        }
        if (letters == to - from) {
            return true;
        }
        if (letters == 0) {
            return false;
        }
        // letters then exactly one digit, short enough to be a name rather than a token
        return (letters == to - from - 1 && Character.isDigit(s.charAt(to - 1)) && to - from <= 16)
                || isVersion(s, from, to);
    }

    /** {@code v1}, {@code V2}, {@code v2beta1}, {@code v1alpha}: an API version, kept. */
    private static boolean isVersion(CharSequence s, int from, int to) {
        int i = from;
        if (to - from > 12 || (s.charAt(i) != 'v' && s.charAt(i) != 'V')) {
            return false;
        }
        i++;
        int start = i;
        while (i < to && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == start) {
            return false;
        }
        int wordStart = i;
        while (i < to && s.charAt(i) >= 'a' && s.charAt(i) <= 'z') {
            i++;
        }
        String word = s.subSequence(wordStart, i).toString();
        if (!(word.isEmpty() || word.equals("alpha") || word.equals("beta") || word.equals("rc"))) {
            return false;
        }
        while (i < to && Character.isDigit(s.charAt(i))) {
            i++;
        }
        return i == to;
    }

    /** One dot, a name before it, and a known file extension after it. */
    private static boolean isFileName(CharSequence s, int from, int to, int dots) {
        if (dots != 1) {
            return false;
        }
        int dot = from;
        while (s.charAt(dot) != '.') {
            dot++;
        }
        if (dot == from || dot == to - 1) {
            return false;
        }
        return FILE_EXTENSIONS.contains(s.subSequence(dot + 1, to).toString().toLowerCase(java.util.Locale.ROOT));
    }
}
