package dev.querylens.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One configuration key, declared once: its name, type, default, accepted range and description. Everything else
 * follows from these definitions ({@link QueryLensConfig#SETTINGS} and the agent's own list): the strict and
 * lenient readers, the agent's three sources, the starter's validation, the Spring configuration metadata and the
 * configuration reference in {@code docs/configuration.md}.
 *
 * <p>Every value is range-checked where it is read, whether it arrives as text ({@link #read}) or already typed
 * from a framework's binder ({@link #accepts}); a value that passes is safe for every use Querylens makes of it
 * (durations convert to nanoseconds, timeouts fit every database's setting).
 *
 * @param <T> the Java type of the value
 */
public final class Setting<T> {

    /** What a key holds. */
    public enum Kind {
        BOOLEAN, INTEGER, LONG, DURATION,
        /** Comma-separated package or class name prefixes. */
        NAMES,
        /** Comma-separated URL path prefixes, each starting with {@code /}. */
        PATHS,
        /** A host name or IP address. */
        HOST
    }

    /** Entries a list key takes at most: each entry is checked against every frame or request path. */
    public static final int MAX_LIST_ENTRIES = 100;

    private static final Pattern NAME_PREFIX = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*\\.?");
    private static final Pattern PATH_PREFIX = Pattern.compile("/[A-Za-z0-9\\-._~!$&'()*+=:@/%]*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\-\\[\\]%_]{1,253}");

    private final String key;
    private final Kind kind;
    private final Class<?> type;
    private final T defaultValue;
    private final T min;
    private final T max;
    private final String description;

    private Setting(String key, Kind kind, Class<?> type, T defaultValue, T min, T max, String description) {
        this.key = Objects.requireNonNull(key);
        this.kind = kind;
        this.type = type;
        this.defaultValue = Objects.requireNonNull(defaultValue);
        this.min = min;
        this.max = max;
        this.description = description;
        if (!key.startsWith("querylens.") || description.isBlank() || !accepts(defaultValue)) {
            throw new IllegalArgumentException("bad definition of " + key + ": default " + defaultValue);
        }
    }

    public static Setting<Boolean> bool(String key, boolean defaultValue, String description) {
        return new Setting<>(key, Kind.BOOLEAN, Boolean.class, defaultValue, null, null, description);
    }

    public static Setting<Integer> integer(String key, int defaultValue, int min, int max, String description) {
        return new Setting<>(key, Kind.INTEGER, Integer.class, defaultValue, min, max, description);
    }

    public static Setting<Long> longValue(String key, long defaultValue, long min, long max, String description) {
        return new Setting<>(key, Kind.LONG, Long.class, defaultValue, min, max, description);
    }

    public static Setting<Duration> duration(String key, Duration defaultValue, Duration min, Duration max,
                                             String description) {
        return new Setting<>(key, Kind.DURATION, Duration.class, defaultValue, min, max, description);
    }

    /** Package or class name prefixes, at most {@link #MAX_LIST_ENTRIES}. */
    public static Setting<List<String>> names(String key, List<String> defaultValue, String description) {
        return new Setting<>(key, Kind.NAMES, List.class, List.copyOf(defaultValue), null, null, description);
    }

    /** URL path prefixes starting with {@code /}, at most {@link #MAX_LIST_ENTRIES}. */
    public static Setting<List<String>> paths(String key, List<String> defaultValue, String description) {
        return new Setting<>(key, Kind.PATHS, List.class, List.copyOf(defaultValue), null, null, description);
    }

    public static Setting<String> host(String key, String defaultValue, String description) {
        return new Setting<>(key, Kind.HOST, String.class, defaultValue, null, null, description);
    }

    /** The full key, such as {@code querylens.nplusone.threshold}. */
    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    /** The Java type of the value ({@code List} for list kinds). */
    public Class<?> type() {
        return type;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** The smallest accepted value, for numbers and durations; {@code null} for other kinds. */
    public T min() {
        return min;
    }

    /** The largest accepted value, for numbers and durations; {@code null} for other kinds. */
    public T max() {
        return max;
    }

    /** What the key does, one or two sentences. */
    public String description() {
        return description;
    }

    /** What the key accepts, in short, for tables: {@code a whole number from 2 to 100000}. */
    public String range() {
        return switch (kind) {
            case BOOLEAN -> "true or false";
            case INTEGER, LONG -> "a whole number from " + min + " to " + max;
            case DURATION -> "a duration from " + text(min) + " to " + text(max);
            case NAMES -> "a comma-separated list of up to " + MAX_LIST_ENTRIES + " package or class name prefixes";
            case PATHS -> "a comma-separated list of up to " + MAX_LIST_ENTRIES + " path prefixes starting with /";
            case HOST -> "a host name or IP address of this machine";
        };
    }

    /** What the key accepts, for messages: the {@link #range()} with the duration syntax where it applies. */
    public String accepted() {
        return kind == Kind.DURATION ? range() + " (such as 500ms, 30s, 5m, 1h, 1d or ISO-8601 PT5M)" : range();
    }

    /** The value as text this key reads back: {@code 5m} for five minutes, lists joined by commas. */
    public String text(Object value) {
        if (value instanceof Duration d) {
            return durationText(d);
        }
        if (value instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            list.forEach(e -> parts.add(String.valueOf(e)));
            return String.join(",", parts);
        }
        return String.valueOf(value);
    }

    /** The default as text, empty for an empty list. */
    public String defaultText() {
        return text(defaultValue);
    }

    /** Whether a typed value (from a framework's binder) is in range. */
    public boolean accepts(Object value) {
        if (value == null || !type.isInstance(value)) {
            return false;
        }
        return switch (kind) {
            case BOOLEAN -> true;
            case INTEGER -> (Integer) value >= (Integer) min && (Integer) value <= (Integer) max;
            case LONG -> (Long) value >= (Long) min && (Long) value <= (Long) max;
            case DURATION -> ((Duration) value).compareTo((Duration) min) >= 0 && ((Duration) value).compareTo((Duration) max) <= 0;
            case NAMES -> entriesMatch((List<?>) value, NAME_PREFIX);
            case PATHS -> entriesMatch((List<?>) value, PATH_PREFIX);
            case HOST -> HOST.matcher((String) value).matches();
        };
    }

    private static boolean entriesMatch(List<?> entries, Pattern pattern) {
        if (entries.size() > MAX_LIST_ENTRIES) {
            return false;
        }
        for (Object e : entries) {
            if (!(e instanceof String s) || !pattern.matcher(s.trim()).matches()) {
                return false;
            }
        }
        return true;
    }

    /** The value {@code text} stands for, or {@code null} when it is not one this key accepts. */
    @SuppressWarnings("unchecked")
    public T read(String text) {
        if (text == null) {
            return null;
        }
        String v = text.trim();
        Object value = switch (kind) {
            case BOOLEAN -> v.equalsIgnoreCase("true") ? Boolean.TRUE : v.equalsIgnoreCase("false") ? Boolean.FALSE : null;
            case INTEGER -> {
                Long n = parseLong(v);
                yield n == null || n < Integer.MIN_VALUE || n > Integer.MAX_VALUE ? null : (Object) n.intValue();
            }
            case LONG -> parseLong(v);
            case DURATION -> parseDuration(v);
            case NAMES, PATHS -> list(v);
            case HOST -> v;
        };
        return accepts(value) ? (T) value : null;
    }

    /** One sentence naming the key, the value, what is accepted and the default. */
    public String rejection(String value) {
        String d = defaultText();
        return key + "='" + value + "' is not accepted; expected " + accepted() + " (default " + (d.isEmpty() ? "empty" : d) + ")";
    }

    @Override
    public String toString() {
        return key;
    }

    private static Long parseLong(String v) {
        try {
            return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<String> list(String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Reads {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, a bare number of milliseconds, or ISO-8601
     * ({@code PT5M}); {@code null} when it is none of those or does not fit a {@link Duration}.
     */
    public static Duration parseDuration(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return null;
        }
        try {
            if (v.startsWith("p") || v.startsWith("-p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            int unitStart = v.startsWith("-") ? 1 : 0;
            while (unitStart < v.length() && Character.isDigit(v.charAt(unitStart))) {
                unitStart++;
            }
            long amount = Long.parseLong(v.substring(0, unitStart));
            return switch (v.substring(unitStart).trim()) {
                case "", "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> null;
            };
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    /** The shortest of {@code 2d}, {@code 5m}, {@code 250ms}... that is exact ({@code 0} for zero), else ISO-8601. */
    static String durationText(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        if (d.getNano() % 1_000_000 == 0) {
            try {
                long ms = d.toMillis();
                long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
                String[] names = {"d", "h", "m", "s"};
                for (int i = 0; i < units.length; i++) {
                    if (ms != 0 && ms % units[i] == 0) {
                        return ms / units[i] + names[i];
                    }
                }
                return ms + "ms";
            } catch (ArithmeticException e) {
                // beyond long milliseconds: ISO below
            }
        }
        return d.toString();
    }
}
