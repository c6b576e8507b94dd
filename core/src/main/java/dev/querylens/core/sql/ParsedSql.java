package dev.querylens.core.sql;

/**
 * One SQL string as read by {@link SqlFingerprinter}: its canonical {@link Fingerprint} plus what the rules need
 * to tell executions of that fingerprint apart without keeping the values themselves.
 *
 * @param fingerprint    the canonical fingerprint
 * @param literalKey     hash of the literal values written in the SQL text outside paging clauses and keyset
 *                       positions; two strings with the same fingerprint and different literal keys asked for
 *                       different rows
 * @param literalAll     hash of every literal value written in the SQL text, paging values included
 * @param pagingBindMask bit {@code i} is set when the {@code (i+1)}-th {@code ?} bind marker stands in a
 *                       {@code LIMIT}, {@code OFFSET}, {@code FETCH} or {@code TOP} clause, or is a keyset position
 *                       (see {@link ValueRoles}) (first 64 markers only)
 * @param literalOutside hash of the literal values outside paging clauses, keyset positions and key lists: what a
 *                       batch fetch keeps the same from one execution to the next
 * @param roles          what the values stand for: key lists, array binds, keyset positions
 */
public record ParsedSql(Fingerprint fingerprint, long literalKey, long literalAll, long pagingBindMask,
                        long literalOutside, ValueRoles roles) {

    public ParsedSql(Fingerprint fingerprint, long literalKey, long literalAll, long pagingBindMask) {
        this(fingerprint, literalKey, literalAll, pagingBindMask, literalKey, ValueRoles.NONE);
    }
}
