package dev.querylens.core.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads every statement of {@code fingerprints.txt} and checks the fingerprint against the expected one. */
class SqlFingerprinterTableTest {

    private static final String RESOURCE = "fingerprints.txt";

    record Case(String name, String sql, String normalized, String expectation) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() throws IOException {
        return load().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsStatement(Case c) {
        Fingerprint fp = new SqlFingerprinter(65536, 2048).parse(c.sql()).fingerprint();
        List<String> expected = Arrays.asList(c.expectation().split(" "));

        assertEquals(c.normalized(), fp.normalized(), "normalized");
        assertEquals(Operation.valueOf(expected.get(0)), fp.operation(), "operation");
        assertEquals(expected.get(1).equals("-") ? null : expected.get(1), fp.table(), "table");
        assertEquals(expected.contains("batch"), fp.batchFetch(), "batchFetch");
        assertEquals(expected.contains("paged"), fp.paged(), "paged");
        assertEquals(expected.contains("problem"), fp.problem() != null, "problem: " + fp.problem());
        assertEquals(expected.contains("sequence"), fp.sequenceCall(), "sequenceCall");
        assertEquals(expected.contains("locking"), fp.lockingRead(), "lockingRead");
        assertEquals(expected.contains("schema-switch"), fp.switchesSchema(), "switchesSchema");
        expected.stream().filter(e -> e.startsWith("fn:")).findFirst().ifPresent(fn -> assertEquals(
                fn.equals("fn:") ? List.of() : Arrays.asList(fn.substring(3).split(",")), fp.functions(), "functions"));
        assertFalse(fp.truncated(), "truncated");
    }

    @Test
    void tableHoldsEnoughStatements() throws IOException {
        assertTrue(load().size() >= 60, "statements: " + load().size());
    }

    private static List<Case> load() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = SqlFingerprinterTableTest.class.getResourceAsStream(RESOURCE);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String name = null;
            StringBuilder sql = new StringBuilder();
            List<String> expected = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("## ")) {
                    name = line.substring(3);
                    sql.setLength(0);
                    expected.clear();
                } else if (name == null) {
                    continue;
                } else if (line.startsWith("=> ")) {
                    expected.add(line.substring(3));
                    if (expected.size() == 2) {
                        cases.add(new Case(name, sql.toString(), expected.get(0), expected.get(1)));
                        name = null;
                    }
                } else {
                    sql.append(sql.length() == 0 ? "" : "\n").append(line);
                }
            }
        }
        return cases;
    }
}
