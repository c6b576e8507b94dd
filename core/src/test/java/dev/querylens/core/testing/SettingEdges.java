package dev.querylens.core.testing;

import dev.querylens.core.Setting;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Text values of one key at the edges of its range, derived from its definition so that every mode's tests cover a
 * new key without being touched. {@code below} and {@code above} are null where the kind has no such value; a new
 * {@link Setting.Kind} does not compile here until it says what its edges are.
 */
public record SettingEdges(String min, String max, String below, String above, String garbage) {

    public static SettingEdges of(Setting<?> s) {
        return switch (s.kind()) {
            case BOOLEAN -> new SettingEdges("false", "true", null, null, "maybe");
            case INTEGER, LONG -> {
                long min = ((Number) s.min()).longValue();
                long max = ((Number) s.max()).longValue();
                yield new SettingEdges(Long.toString(min), Long.toString(max), Long.toString(min - 1),
                        Long.toString(max + 1), "lots");
            }
            case DURATION -> {
                Duration min = (Duration) s.min();
                Duration max = (Duration) s.max();
                yield new SettingEdges(s.text(min), s.text(max), s.text(min.minusMillis(1)), s.text(max.plusMillis(1)), "soon");
            }
            case NAMES -> new SettingEdges("", entries("com.acme.p", Setting.MAX_LIST_ENTRIES), null,
                    entries("com.acme.p", Setting.MAX_LIST_ENTRIES + 1), "com/acme");
            case PATHS -> new SettingEdges("", entries("/p", Setting.MAX_LIST_ENTRIES), null,
                    entries("/p", Setting.MAX_LIST_ENTRIES + 1), "actuator");
            case HOST -> new SettingEdges("a", "h".repeat(253), null, "h".repeat(254), "not a host");
        };
    }

    /** The values a key must refuse: one past each end (where there is one) and garbage. */
    public List<String> rejected() {
        List<String> out = new ArrayList<>();
        for (String v : new String[]{below, above, garbage}) {
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    private static String entries(String prefix, int n) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            parts.add(prefix + i);
        }
        return String.join(",", parts);
    }
}
