package dev.querylens.core.sql;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fingerprint cache keeps at most its share of the SQL text budget, and still hits on what is in use. */
class FingerprintCacheBudgetTest {

    @Test
    void theCacheHoldsNoMoreTextThanItsBudget() {
        SqlFingerprinter fingerprinter = new SqlFingerprinter(65_536, 2048, 100_000);
        for (int n = 0; n < 1_000; n++) {
            StringBuilder sql = new StringBuilder("select * from t").append(n).append(" where a = 1");
            while (sql.length() < 9_000) {
                sql.append(" and c").append(n).append(" = ").append(sql.length());
            }
            fingerprinter.parse(sql.toString());
            assertTrue(fingerprinter.textHeld() <= 100_000, fingerprinter.textHeld() + " characters held");
        }
        assertTrue(fingerprinter.cachedStatements() > 0);
        String hot = "select * from orders where id = 42";
        ParsedSql first = fingerprinter.parse(hot);
        assertSame(first, fingerprinter.parse(hot), "what is in use stays cached");
    }

    @Test
    void longFingerprintsAreCanonicalToo() {
        SqlFingerprinter fingerprinter = new SqlFingerprinter(65_536, 2048);
        String tail = " and b in (" + "1, ".repeat(4_000) + "2)";
        Fingerprint a = fingerprinter.parse("select * from t where a = 1" + tail).fingerprint();
        Fingerprint b = fingerprinter.parse("select * from t where a = 2" + tail).fingerprint();
        assertSame(a, b, "one instance per statement, however long its SQL");
    }
}
