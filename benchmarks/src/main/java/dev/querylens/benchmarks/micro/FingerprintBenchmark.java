package dev.querylens.benchmarks.micro;

import dev.querylens.core.sql.ParsedSql;
import dev.querylens.core.sql.SqlFingerprinter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link SqlFingerprinter#parse} with Querylens's default bounds (65,536 characters, 2,048 cached strings).
 *
 * <ul>
 *   <li>{@link #cacheHit}: one of 16 distinct statements, all cached. Baseline {@link #cacheHitBaseline}: a
 *       {@code ConcurrentHashMap.get} of the same strings, the floor of any cached lookup.</li>
 *   <li>{@link #cacheMiss}: one of 4,096 statements of one shape that differ in an inlined literal (as from code
 *       that concatenates values into SQL), cycled in order through the 2,048-entry cache, so every call reads
 *       the text again (the fingerprint itself is then found in the canonical map). Baseline
 *       {@link #cacheMissBaseline}: one pass over the characters (a hash that String does not cache), the floor of
 *       any reader that looks at every character.</li>
 * </ul>
 * {@code short} statements are a Hibernate primary-key lookup (about 80 characters); {@code long} ones a
 * Hibernate-style report query with joins, an IN list, paging and 40 columns (about 1,900 characters).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class FingerprintBenchmark {

    static final int HIT_STATEMENTS = 16;
    static final int MISS_STATEMENTS = 4096;
    static final int CACHE_SIZE = 2048;

    @Param({"short", "long"})
    public String length;

    private SqlFingerprinter fingerprinter;
    private final ConcurrentHashMap<String, ParsedSql> map = new ConcurrentHashMap<>();
    private String[] hits;
    private String[] misses;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        fingerprinter = new SqlFingerprinter(65536, CACHE_SIZE);
        hits = new String[HIT_STATEMENTS];
        for (int i = 0; i < HIT_STATEMENTS; i++) {
            hits[i] = statement(length, "t" + i, "?");
            map.put(hits[i], fingerprinter.parse(hits[i]));
        }
        misses = new String[MISS_STATEMENTS];
        for (int i = 0; i < MISS_STATEMENTS; i++) {
            misses[i] = statement(length, "orders", Integer.toString(100_000 + i));
        }
    }

    /** A statement of the given length on {@code table}, with {@code key} as its key value (a literal or {@code ?}). */
    static String statement(String length, String table, String key) {
        if ("short".equals(length)) {
            return "select c1_0.id,c1_0.email,c1_0.name from " + table + " c1_0 where c1_0.id=" + key;
        }
        StringBuilder sb = new StringBuilder(2048).append("select ");
        String[] aliases = {"o1_0", "c1_0", "a1_0", "p1_0"};
        String[] columns = {"id", "created_at", "updated_at", "status", "total_amount", "currency", "note",
                "version", "reference", "channel"};
        for (String alias : aliases) {
            for (String column : columns) {
                sb.append(alias).append('.').append(column).append(',');
            }
        }
        sb.setLength(sb.length() - 1);
        sb.append(" from ").append(table).append(" o1_0")
                .append(" join customer c1_0 on c1_0.id=o1_0.customer_id")
                .append(" left join address a1_0 on a1_0.id=c1_0.billing_address_id")
                .append(" left join payment p1_0 on p1_0.order_id=o1_0.id and p1_0.status<>'VOID'")
                .append(" where o1_0.customer_id=").append(key)
                .append(" and o1_0.status in ('NEW','PAID','SHIPPED','RETURNED')")
                .append(" and o1_0.created_at>=? and o1_0.created_at<? and (o1_0.channel='web' or o1_0.note like ?)")
                .append(" and o1_0.warehouse_id in (1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20)")
                .append(" /* report: orders by customer */")
                .append(" order by o1_0.created_at desc,o1_0.id offset ? rows fetch first ? rows only");
        return sb.toString();
    }

    @Benchmark
    public ParsedSql cacheHit() {
        return fingerprinter.parse(hits[next++ & (HIT_STATEMENTS - 1)]);
    }

    @Benchmark
    public ParsedSql cacheHitBaseline() {
        return map.get(hits[next++ & (HIT_STATEMENTS - 1)]);
    }

    @Benchmark
    public ParsedSql cacheMiss() {
        return fingerprinter.parse(misses[next++ & (MISS_STATEMENTS - 1)]);
    }

    @Benchmark
    public int cacheMissBaseline() {
        String sql = misses[next++ & (MISS_STATEMENTS - 1)];
        int h = 0;
        for (int i = 0, n = sql.length(); i < n; i++) {
            h = 31 * h + sql.charAt(i);
        }
        return h;
    }
}
