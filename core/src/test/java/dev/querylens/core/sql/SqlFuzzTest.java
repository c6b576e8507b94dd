package dev.querylens.core.sql;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.querylens.core.explain.Dialect;
import dev.querylens.core.explain.ExplainCommand;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing of the SQL lexer in every reading, the fingerprinter and the single-statement check before EXPLAIN: no
 * input makes any of them throw, and what each promises holds for every input. The committed seeds are in
 * {@code SqlFuzzTestInputs/sqlText/}; the build runs them and fuzzes for a short while (see CONTRIBUTING.md).
 */
class SqlFuzzTest {

    private static final List<SqlSyntax> SYNTAXES = new ArrayList<>();

    static {
        for (SqlSyntax.Family family : SqlSyntax.Family.values()) {
            SYNTAXES.addAll(SqlSyntax.variants(family));
        }
    }

    private static final List<Dialect> DIALECTS = List.of(Dialect.POSTGRESQL, Dialect.MYSQL, Dialect.MARIADB, Dialect.H2);

    @FuzzTest(maxDuration = "20s")
    void sqlText(byte[] data) {
        String sql = new String(data, StandardCharsets.UTF_8);

        Fingerprint fp = new SqlFingerprinter(4096, 0).parse(sql).fingerprint();
        assertNotNull(fp.normalized());
        assertFalse(fp.problem() != null && fp.problem().startsWith("internal error"), fp.problem());
        assertNotNull(fp.functions());

        for (SqlSyntax syntax : SYNTAXES) {
            SqlLexer.Result read = SqlLexer.lexAsWritten(sql, syntax);
            int at = 0;
            for (Token t : read.tokens()) {
                assertTrue(t.start() >= at, "tokens in order");
                assertEquals(sql.substring(t.start(), t.end()), t.text(), "a token is its text as written");
                at = t.end();
            }
            SqlCalls.functions(read.withoutComments());
            SqlCalls.sequence(read.withoutComments());
        }
        for (Dialect dialect : DIALECTS) {
            List<String> reasons = new ArrayList<>();
            reasons.add(ExplainCommand.notExplainable(dialect, sql));
            for (SqlSyntax syntax : SqlSyntax.variants(dialect.planSyntax().family())) {
                reasons.add(ExplainCommand.notExplainable(dialect, syntax, sql));
            }
            for (String reason : reasons) {
                if (reason == null) {
                    int semicolon = sql.indexOf(';');
                    assertTrue(semicolon < 0 || (semicolon == sql.lastIndexOf(';') && sql.substring(semicolon + 1).isBlank()),
                            "an explained text has no ; but a final terminator");
                }
            }
        }
    }
}
