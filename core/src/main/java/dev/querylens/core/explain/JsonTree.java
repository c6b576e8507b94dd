package dev.querylens.core.explain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON document with jackson-core's streaming parser into plain values: {@code Map<String, Object>}
 * (key order kept), {@code List<Object>}, {@code String}, {@code Number}, {@code Boolean} and {@code null}.
 * Plans are small and read once, so a tree is simpler than streaming rules. Nesting depth is bounded by
 * jackson-core's own read constraints.
 */
final class JsonTree {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonTree() {
    }

    /** The value of {@code json}; throws on malformed or trailing content. */
    static Object parse(String json) throws IOException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IOException("empty document");
            }
            Object value = read(parser, first);
            if (parser.nextToken() != null) {
                throw new IOException("content after the JSON value at " + parser.currentLocation().getCharOffset());
            }
            return value;
        }
    }

    private static Object read(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    map.put(name, read(parser, parser.nextToken()));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    list.add(read(parser, t));
                }
                return list;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return parser.getNumberValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected JSON token " + token);
        }
    }

    /** {@code value} as an object, or {@code null} when it is something else. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    /** {@code value} as an array, or an empty list when it is something else. */
    @SuppressWarnings("unchecked")
    static List<Object> array(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** The string member {@code key} of {@code object}, or {@code null} when absent or not a string. */
    static String string(Map<String, Object> object, String key) {
        return object.get(key) instanceof String s ? s : null;
    }

    /**
     * The numeric member {@code key} of {@code object}, also from a numeric string (MySQL prints
     * {@code "filtered": "10.00"}), or {@code NaN} when absent or unreadable.
     */
    static double number(Map<String, Object> object, String key) {
        Object v = object.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
