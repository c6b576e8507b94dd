package dev.querylens.spring;

import dev.querylens.core.FindingSummary;
import dev.querylens.core.QueryLens;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /actuator/querylens}: the findings so far, grouped per endpoint. Endpoints come in the order of their
 * highest-impact finding, and each endpoint's findings most impact first (most executions over all units of
 * work). Each finding has its kind, counts, table, normalized SQL, parent query, call site and fix hint; no bind
 * value or SQL literal is ever in it. A DELETE forgets them all.
 * <p>
 * Values are plain strings, numbers and maps, so the JSON is the same whichever Jackson the application has.
 */
@Endpoint(id = "querylens")
public class QueryLensEndpoint {

    private final QueryLens lens;

    public QueryLensEndpoint(QueryLens lens) {
        this.lens = lens;
    }

    @ReadOperation
    public Map<String, Object> findings() {
        List<FindingSummary> all = lens.findings().findings();
        Map<String, List<Map<String, Object>>> byEndpoint = new LinkedHashMap<>();
        for (FindingSummary f : all) {
            byEndpoint.computeIfAbsent(f.endpoint(), e -> new ArrayList<>()).add(describe(f));
        }
        List<Map<String, Object>> endpoints = new ArrayList<>(byEndpoint.size());
        byEndpoint.forEach((endpoint, findings) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("endpoint", endpoint);
            e.put("findings", findings);
            endpoints.add(e);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enabled", lens.config().enabled());
        body.put("findingCount", all.size());
        body.put("endpoints", endpoints);
        return body;
    }

    /** Forgets every finding (meters keep their counts). */
    @DeleteOperation
    public Map<String, Object> clear() {
        int cleared = lens.findings().size();
        lens.findings().clear();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cleared", cleared);
        return body;
    }

    private static Map<String, Object> describe(FindingSummary f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", f.kind().tag());
        m.put("count", f.lastCount());
        m.put("maxCount", f.maxCount());
        m.put("totalCount", f.totalCount());
        m.put("occurrences", f.occurrences());
        m.put("table", f.table());
        m.put("sql", f.sql());
        m.put("parentQuery", f.parentQuery());
        m.put("callSite", f.callSite());
        m.put("hint", f.hint());
        m.put("details", new LinkedHashMap<>(f.details()));
        m.put("firstSeen", f.firstSeen().toString());
        m.put("lastSeen", f.lastSeen().toString());
        return m;
    }
}
