package dev.querylens.core.sql;

/**
 * One SQL string as read by {@link SqlFingerprinter}: its canonical {@link Fingerprint} plus what the rules need
 * to tell executions of that fingerprint apart without keeping the values themselves.
 *
 * @param fingerprint    the canonical fingerprint
 * @param literalKey     hash of the literal values written in the SQL text outside paging clauses; two strings with
 *                       the same fingerprint and different literal keys asked for different rows
 * @param literalAll     hash of every literal value written in the SQL text, paging values included
 * @param pagingBindMask bit {@code i} is set when the {@code (i+1)}-th {@code ?} bind marker stands in a
 *                       {@code LIMIT}, {@code OFFSET}, {@code FETCH} or {@code TOP} clause (first 64 markers only)
 */
public record ParsedSql(Fingerprint fingerprint, long literalKey, long literalAll, long pagingBindMask) {
}
