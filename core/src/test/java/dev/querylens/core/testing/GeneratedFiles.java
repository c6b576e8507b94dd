package dev.querylens.core.testing;

import dev.querylens.core.Setting;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files (or parts of files) generated from the settings' definitions and committed, so that users read them on
 * the repository and in IDEs: a test compares each with what the definitions give now, and rewrites it when run
 * with {@code -Dquerylens.regenerate=true}.
 */
public final class GeneratedFiles {

    /** The property that turns a check into a rewrite. */
    public static final String REGENERATE = "querylens.regenerate";

    /** The reference every mode links to; tests run in their module's directory. */
    public static final Path CONFIGURATION_DOC = Path.of("..", "docs", "configuration.md");

    private GeneratedFiles() {
    }

    /** {@code file} holds exactly {@code expected}. */
    public static void check(Path file, String expected) throws IOException {
        if (Boolean.getBoolean(REGENERATE)) {
            Files.writeString(file, expected, StandardCharsets.UTF_8);
        }
        assertEquals(expected, Files.readString(file, StandardCharsets.UTF_8), file + " is stale: " + hint());
    }

    /**
     * The part of the markdown {@code file} between {@code <!-- generated: name -->} and
     * {@code <!-- end of generated: name -->} is exactly {@code expected}.
     */
    public static void checkSection(Path file, String name, String expected) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String begin = "<!-- generated: " + name + " (do not edit: " + hint() + ") -->\n";
        String end = "<!-- end of generated: " + name + " -->";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        assertTrue(from >= 0 && to > from, file + " has no section '" + begin.trim() + "' ... '" + end + "'");
        String current = text.substring(from + begin.length(), to);
        if (Boolean.getBoolean(REGENERATE) && !current.equals(expected)) {
            Files.writeString(file, text.substring(0, from + begin.length()) + expected + text.substring(to),
                    StandardCharsets.UTF_8);
            current = expected;
        }
        assertEquals(expected, current, file + " section " + name + " is stale: " + hint());
    }

    private static String hint() {
        return "run the module's tests with -D" + REGENERATE + "=true to rewrite it";
    }

    /** A markdown table of {@code settings}: key, default, accepted values, description. */
    public static String settingsTable(List<Setting<?>> settings) {
        StringBuilder sb = new StringBuilder("| key | default | accepts | description |\n|---|---|---|---|\n");
        for (Setting<?> s : settings) {
            String d = s.defaultText();
            row(sb, "`" + s.key() + "`", d.isEmpty() ? "(empty)" : "`" + d + "`", s.range(), s.description());
        }
        return sb.toString();
    }

    /** One markdown table row; a {@code |} inside a cell is escaped. */
    public static void row(StringBuilder sb, String... cells) {
        sb.append('|');
        for (String c : cells) {
            sb.append(' ').append(c.replace("|", "\\|")).append(" |");
        }
        sb.append('\n');
    }
}
