package dev.querylens.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/** Writes findings as JSON for the agent's {@code /querylens/findings} and other readers. No bind values in it. */
public final class FindingsJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private FindingsJson() {
    }

    /** {@code {"findings":[{...}, ...]}}, in the order given. */
    public static void write(List<FindingSummary> findings, Writer out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeArrayFieldStart("findings");
            for (FindingSummary f : findings) {
                g.writeStartObject();
                g.writeStringField("kind", f.kind().tag());
                g.writeStringField("endpoint", f.endpoint());
                g.writeStringField("table", f.table());
                g.writeStringField("sql", f.sql());
                g.writeNumberField("occurrences", f.occurrences());
                g.writeNumberField("lastCount", f.lastCount());
                g.writeNumberField("maxCount", f.maxCount());
                g.writeNumberField("totalCount", f.totalCount());
                g.writeStringField("parentQuery", f.parentQuery());
                g.writeStringField("callSite", f.callSite());
                g.writeStringField("hint", f.hint());
                g.writeObjectFieldStart("details");
                for (Map.Entry<String, String> d : f.details().entrySet()) {
                    g.writeStringField(d.getKey(), d.getValue());
                }
                g.writeEndObject();
                g.writeStringField("firstSeen", f.firstSeen().toString());
                g.writeStringField("lastSeen", f.lastSeen().toString());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    public static String toJson(List<FindingSummary> findings) {
        StringWriter w = new StringWriter();
        try {
            write(findings, w);
        } catch (IOException e) {
            throw new IllegalStateException("a StringWriter does not fail", e);
        }
        return w.toString();
    }
}
