package dev.querylens.spring;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.querylens.core.QueryLensConfig;
import dev.querylens.core.Setting;
import dev.querylens.core.testing.GeneratedFiles;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core definitions are the single source of what IDEs show for each key: the additional metadata is generated
 * from them, the metadata the configuration processor writes (what IDEs complete from) carries each definition's
 * description, range and default, {@link QueryLensProperties#BINDINGS} covers every definition, and the starter's
 * own keys are listed in docs/configuration.md.
 */
class ConfigurationMetadataTest {

    /** The starter's own keys, which core does not know. */
    static final Set<String> STARTER_KEYS = Set.of("querylens.web.enabled", "querylens.excluded-datasource-beans");

    record Property(String type, String defaultValue, String description) {
    }

    /** What the IDE shows for a core key: the definition's description and range. */
    static String description(Setting<?> s) {
        return s.description() + " Accepts " + s.range() + ".";
    }

    /** {@code META-INF/additional-spring-configuration-metadata.json} as the definitions give it. */
    static String additionalMetadata() {
        StringBuilder sb = new StringBuilder("{\n  \"properties\": [");
        String sep = "\n";
        for (Setting<?> s : QueryLensConfig.SETTINGS) {
            sb.append(sep).append("    {\n")
                    .append("      \"name\": ").append(json(s.key())).append(",\n")
                    .append("      \"description\": ").append(json(description(s))).append(",\n")
                    .append("      \"defaultValue\": ").append(jsonValue(s.defaultValue())).append("\n")
                    .append("    }");
            sep = ",\n";
        }
        return sb.append("\n  ]\n}\n").toString();
    }

    private static String jsonValue(Object v) {
        if (v instanceof Boolean || v instanceof Number) {
            return v.toString();
        }
        if (v instanceof Duration d) {
            return json(QueryLensConfig.LOG_FINDING_INTERVAL.text(d));
        }
        if (v instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(e -> items.add(json(e.toString())));
            return "[" + String.join(", ", items) + "]";
        }
        return json(v.toString());
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static Map<String, Property> metadata() throws Exception {
        Map<String, Property> properties = new LinkedHashMap<>();
        try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json");
             JsonParser p = new JsonFactory().createParser(in)) {
            assertThat(in).as("generated metadata").isNotNull();
            // {"groups": [...], "properties": [{"name":..., "type":..., "description":..., "defaultValue":...}], ...}
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && "properties".equals(p.currentName()) && p.getParsingContext().getParent().inRoot()) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        Map<String, String> fields = new LinkedHashMap<>();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            JsonToken value = p.nextToken();
                            if (value == JsonToken.START_ARRAY) {
                                List<String> items = new ArrayList<>();
                                while (p.nextToken() != JsonToken.END_ARRAY) {
                                    items.add(p.getValueAsString());
                                }
                                fields.put(name, String.join(",", items));
                            } else if (value == JsonToken.START_OBJECT) {
                                p.skipChildren();
                            } else {
                                fields.put(name, p.getValueAsString());
                            }
                        }
                        properties.put(fields.get("name"), new Property(fields.get("type"), fields.get("defaultValue"), fields.get("description")));
                    }
                }
            }
        }
        return properties;
    }

    @Test
    void additionalMetadataIsGeneratedFromTheDefinitions() throws Exception {
        // from the starter's directory, and from the Spring Boot 3 module that runs these tests too
        GeneratedFiles.check(Path.of("..", "spring-boot-starter", "src", "main", "resources", "META-INF",
                "additional-spring-configuration-metadata.json"), additionalMetadata());
    }

    @Test
    void everyCoreKeyIsAPropertyWithItsDefinitionsTypeDefaultAndDescription() throws Exception {
        Map<String, Property> metadata = metadata();
        for (Setting<?> setting : QueryLensConfig.SETTINGS) {
            Property property = metadata.get(setting.key());
            assertThat(property).as("property for core key %s in QueryLensProperties", setting.key()).isNotNull();
            // the processor runs only when the starter's sources compile: after regenerating the additional
            // metadata alone, an incremental build still has the old merged file (build the starter with clean)
            assertThat(property.description()).as(setting.key() + " (stale? see comment)").isEqualTo(description(setting));
            assertThat(property.defaultValue()).as(setting.key()).isEqualTo(setting.defaultText());
            String type = setting.type() == List.class ? "java.util.List<java.lang.String>" : setting.type().getName();
            assertThat(property.type()).as(setting.key()).isEqualTo(type);
        }
        assertThat(metadata.keySet().stream().filter(k -> k.startsWith("querylens.")).toList())
                .as("every querylens property is a core key or one of the starter's own")
                .containsExactlyInAnyOrderElementsOf(concat(QueryLensConfig.SETTINGS.stream().map(Setting::key).toList(), STARTER_KEYS));
    }

    @Test
    void everyDefinitionIsBoundToItsField() {
        assertThat(QueryLensProperties.BINDINGS.stream().map(b -> b.setting().key()).toList())
                .isEqualTo(QueryLensConfig.SETTINGS.stream().map(Setting::key).toList());
        QueryLensProperties defaults = new QueryLensProperties();
        for (QueryLensProperties.Binding<?> b : QueryLensProperties.BINDINGS) {
            assertThat(b.value().apply(defaults)).as(b.setting().key()).isEqualTo(b.setting().defaultValue());
        }
    }

    @Test
    void starterKeysAreDocumented() throws Exception {
        Map<String, Property> metadata = metadata();
        StringBuilder table = new StringBuilder("| key | default | accepts | description |\n|---|---|---|---|\n");
        for (String key : STARTER_KEYS.stream().sorted().toList()) {
            Property p = metadata.get(key);
            assertThat(p.description()).as(key).isNotBlank();
            String accepts = switch (p.type()) {
                case "java.lang.Boolean" -> "true or false";
                case "java.util.List<java.lang.String>" -> "a comma-separated list";
                default -> throw new AssertionError("say what " + p.type() + " accepts");
            };
            String d = p.defaultValue() == null ? "" : p.defaultValue();
            GeneratedFiles.row(table, "`" + key + "`", d.isEmpty() ? "(empty)" : "`" + d + "`", accepts, p.description());
        }
        GeneratedFiles.checkSection(GeneratedFiles.CONFIGURATION_DOC, "starter keys", table.toString());
        assertThat(metadata.get("querylens.web.enabled").defaultValue()).isEqualToIgnoringCase("true");
    }

    private static List<String> concat(List<String> a, Set<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
