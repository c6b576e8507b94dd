package dev.querylens.core.explain;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Fuzzing of each plan reader, called directly (not through {@link PlanParser}, whose last-resort catch would hide
 * a reader's bug): every input is either a plan or a {@link PlanParseException}. Any other exception, an error or a
 * hang is a crash. The committed seeds (real plans of each database, see {@code plans/}) are in
 * {@code PlanFuzzTestInputs/<method>/}; the build runs them, and each target is fuzzed for a short while (see
 * CONTRIBUTING.md for the long run). MySQL and MariaDB inputs are the statement, a NUL, then the plan.
 */
class PlanFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void postgresJson(byte[] data) {
        read(() -> PostgresPlanParser.parse(new String(data, StandardCharsets.UTF_8)));
    }

    @FuzzTest(maxDuration = "15s")
    void mysqlJson(byte[] data) {
        String input = new String(data, StandardCharsets.UTF_8);
        int nul = input.indexOf('\0');
        String sql = nul < 0 ? "SELECT * FROM t" : input.substring(0, nul);
        String plan = nul < 0 ? input : input.substring(nul + 1);
        // one reader serves both JSON formats of MySQL (v1 and v2) and MariaDB's
        read(() -> MysqlPlanParser.parse(Dialect.MYSQL, plan, sql));
        read(() -> MysqlPlanParser.parse(Dialect.MARIADB, plan, null));
    }

    @FuzzTest(maxDuration = "15s")
    void h2Text(byte[] data) {
        read(() -> H2PlanParser.parse(new String(data, StandardCharsets.UTF_8)));
    }

    private interface Read {
        ExplainPlan plan() throws PlanParseException;
    }

    private static void read(Read read) {
        try {
            ExplainPlan plan = read.plan();
            assertNotNull(plan.scans());
            for (ScanNode scan : plan.scans()) {
                assertNotNull(scan.table(), "a scan names its table");
            }
        } catch (PlanParseException e) {
            assertNotNull(e.getMessage(), "a parse error says what was wrong");
        }
    }
}
