package dev.querylens.spring;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.querylens.core.QueryLensConfig;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metadata the configuration processor generated (what IDEs complete from) has every core key, with a
 * description and with core's default. A key added to {@link QueryLensConfig#SETTINGS} without a property in
 * {@link QueryLensProperties} fails here.
 */
class ConfigurationMetadataTest {

    record Property(String type, String defaultValue, String description) {
    }

    static Map<String, Property> metadata() throws Exception {
        Map<String, Property> properties = new HashMap<>();
        try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json");
             JsonParser p = new JsonFactory().createParser(in)) {
            assertThat(in).as("generated metadata").isNotNull();
            // {"groups": [...], "properties": [{"name":..., "type":..., "description":..., "defaultValue":...}], ...}
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && "properties".equals(p.currentName()) && p.getParsingContext().getParent().inRoot()) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        Map<String, String> fields = new HashMap<>();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            JsonToken value = p.nextToken();
                            if (value == JsonToken.START_ARRAY || value == JsonToken.START_OBJECT) {
                                fields.put(name, "[]");
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
    void everyCoreKeyIsAPropertyWithItsDefaultAndADescription() throws Exception {
        Map<String, Property> metadata = metadata();
        for (QueryLensConfig.Setting setting : QueryLensConfig.SETTINGS) {
            Property property = metadata.get(setting.key());
            assertThat(property).as("property for core key %s in QueryLensProperties", setting.key()).isNotNull();
            assertThat(property.description()).as(setting.key()).isNotBlank();
            if (setting.defaultValue().isEmpty()) {
                assertThat(property.defaultValue()).as(setting.key()).isIn(null, "[]");
            } else if (!"[]".equals(property.defaultValue())) {
                assertThat(property.defaultValue()).as(setting.key()).isEqualToIgnoringCase(setting.defaultValue());
            }
        }
    }

    @Test
    void starterKeysAreDocumented() throws Exception {
        Map<String, Property> metadata = metadata();
        assertThat(metadata.get("querylens.excluded-datasource-beans").description()).isNotBlank();
        assertThat(metadata.get("querylens.web.enabled").defaultValue()).isEqualToIgnoringCase("true");
        assertThat(metadata.get("querylens.log.finding-interval").type()).isEqualTo("java.time.Duration");
    }
}
