package dev.querylens.core.explain;

import dev.querylens.core.sql.Fingerprint;

import java.util.List;

/**
 * A statement sampled for EXPLAIN, with a copy of its bind values.
 *
 * @param endpoint       the unit of work's endpoint; {@code null} until the unit ends
 * @param dataSourceName where the sampler takes a connection of its own from
 * @param callSite       the application frame that ran the statement, or {@code null}
 */
public record SampledStatement(String endpoint, Fingerprint fingerprint, String sql, List<Object> binds,
                               String dataSourceName, String callSite) {

    SampledStatement named(String name) {
        return new SampledStatement(name, fingerprint, sql, binds, dataSourceName, callSite);
    }
}
