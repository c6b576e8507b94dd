package dev.querylens.core.explain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Loads the captured plans under {@code src/test/resources/plans} and parses them. */
final class PlanFixtures {
    private PlanFixtures() {
    }

    static String resource(String path) {
        try (InputStream in = PlanFixtures.class.getResourceAsStream("/plans/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses {@code folder/name.json} (or {@code .txt} for H2) with the statement from {@code name.sql}. */
    static ExplainPlan parse(Dialect dialect, String name) throws PlanParseException {
        String folder = switch (dialect) {
            case POSTGRESQL -> "postgresql/";
            case MARIADB -> "mariadb/";
            case MYSQL -> "mysql/";
            default -> "h2/";
        };
        String plan = resource(folder + name + (dialect == Dialect.H2 ? ".txt" : ".json"));
        return PlanParser.parse(dialect, plan, resource(folder + name + ".sql").strip());
    }

    /** The single full scan of a plan; fails when there is not exactly one. */
    static ScanNode onlyFullScan(ExplainPlan plan) {
        List<ScanNode> full = plan.scans().stream().filter(ScanNode::fullScan).toList();
        if (full.size() != 1) {
            throw new AssertionError("expected one full scan, got " + plan.scans());
        }
        return full.get(0);
    }

    static ScanNode scanOf(ExplainPlan plan, String table) {
        return plan.scans().stream().filter(s -> s.table().equalsIgnoreCase(table)).findFirst()
                .orElseThrow(() -> new AssertionError("no scan of " + table + " in " + plan.scans()));
    }
}
