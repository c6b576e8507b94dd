package dev.querylens.core.detect;

import dev.querylens.core.jdbc.BindHash;
import dev.querylens.core.jdbc.BoundQueryInfo;
import dev.querylens.core.sql.Fingerprint;
import dev.querylens.core.sql.Operation;
import dev.querylens.core.sql.ParsedSql;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.proxy.ParameterSetOperation;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Runs the {@link Rule}s over a unit of work. On the statement path it tells executions apart by hashes of their
 * values (never keeping a value), counts them per statement and asks each rule whether the statement now breaks
 * it; it walks the stack only once per broken rule, for the call site. When the unit ends it hands over the
 * findings.
 *
 * <p>Only non-batch SELECTs are analysed: a batch is one round trip by design, and only reads can be N+1 or
 * duplicates. Paging values ({@code LIMIT}, {@code OFFSET}, {@code FETCH}, {@code TOP}) are left out of the key
 * values: paging through one listing is not a loop over keys.
 */
public final class Detector {

    private final Rule[] rules;
    private final int maxFingerprints;
    private final Supplier<String> callSites;

    /**
     * @param rules     at most 64, in the order their findings are reported for one statement
     * @param callSites names the application frame that ran the current statement (a stack walk)
     */
    public Detector(List<Rule> rules, RuleSettings settings, Supplier<String> callSites) {
        if (rules.size() > Long.SIZE) {
            throw new IllegalArgumentException("at most " + Long.SIZE + " rules, not " + rules.size());
        }
        this.rules = rules.toArray(new Rule[0]);
        this.maxFingerprints = settings.unitMaxFingerprints();
        this.callSites = callSites;
    }

    /** On the statement path: one execution of {@code sql} in the unit whose state is {@code unit}. */
    public void onExecution(DetectionState unit, ParsedSql sql, boolean batch, QueryInfo query) {
        Fingerprint fp = sql.fingerprint();
        if (batch || fp.operation() != Operation.SELECT) {
            return;
        }
        StatementStats stats = unit.stats.get(fp);
        if (stats == null) {
            if (unit.stats.size() >= maxFingerprints) {
                unit.untracked++;
                return;
            }
            stats = new StatementStats(fp, unit.lastSelect);
            unit.stats.put(fp, stats);
            ConcurrentHashMap<Fingerprint, String> sites = unit.partCallSites;
            if (sites != null && !sites.containsKey(fp)) {
                // on a thread the unit handed work to: name the place once per statement and unit
                String site = callSites.get();
                sites.putIfAbsent(fp, site == null ? DetectionState.UNKNOWN_SITE : site);
            }
        }
        unit.lastSelect = stats;

        long keyHash;
        long fullHash;
        if (query instanceof BoundQueryInfo bound) {
            // Querylens's own JDBC wrappers hashed the values as they were set
            long pagingMask = sql.pagingBindMask();
            fullHash = bound.bindHash();
            keyHash = pagingMask == 0 ? fullHash : bound.bindHashExcept(pagingMask);
        } else {
            keyHash = 0;
            fullHash = 0;
            List<List<ParameterSetOperation>> parameters = query.getParametersList();
            if (!parameters.isEmpty()) {
                List<ParameterSetOperation> ops = parameters.get(0);
                long pagingMask = sql.pagingBindMask();
                for (int i = 0, n = ops.size(); i < n; i++) {
                    ParameterSetOperation op = ops.get(i);
                    Object[] args = op.getArgs();
                    if (args == null || args.length == 0) {
                        continue;
                    }
                    long h = BindHash.of(op);
                    // a sum does not depend on the order in which the setters were called
                    fullHash += h;
                    if (!isPaging(args[0], pagingMask)) {
                        keyHash += h;
                    }
                }
            }
        }
        long key = BindHash.mix(sql.literalKey() ^ BindHash.mix(keyHash));
        long full = BindHash.mix(sql.literalAll() ^ BindHash.mix(fullHash));
        int sameValues = stats.observe(key, full);

        for (int r = 0; r < rules.length; r++) {
            if (!stats.broke(r) && rules[r].breaks(stats, sameValues)) {
                stats.markBroken(r, rules.length, callSites.get());
                unit.anyBroken = true;
            }
        }
    }

    /**
     * When a unit of work that handed work to other threads ends: adds what one of those threads saw ({@code part})
     * to the unit's own state, then asks the rules again about every statement the part touched, so that a loop spread
     * over several threads (one query per task) is still an N+1. A rule first broken here has the call site that
     * another rule of the same statement recorded, else the place where one of the unit's threads first ran it. Runs
     * on the thread that ends the unit, after the part's thread is done writing to it.
     */
    public void merge(DetectionState unit, DetectionState part) {
        unit.untracked += part.untracked;
        if (part.stats.isEmpty()) {
            return;
        }
        java.util.ArrayList<StatementStats> adopted = new java.util.ArrayList<>();
        for (StatementStats theirs : part.stats.values()) {
            StatementStats ours = unit.stats.get(theirs.fingerprint);
            if (ours == null) {
                if (unit.stats.size() >= maxFingerprints) {
                    unit.untracked += theirs.count;
                    continue;
                }
                unit.stats.put(theirs.fingerprint, theirs);
                adopted.add(theirs);
                ours = theirs;
            } else {
                ours.absorb(theirs);
            }
            for (int r = 0; r < rules.length; r++) {
                if (!ours.broke(r) && rules[r].breaks(ours, ours.maxSameValues)) {
                    ours.markBroken(r, rules.length, firstCallSite(unit, ours));
                }
            }
            unit.anyBroken |= ours.brokeAny();
        }
        // the parent query is looked for among the unit's statements, not the part's copies merged into them
        for (StatementStats s : adopted) {
            StatementStats previous = s.previousSelect;
            if (previous != null) {
                StatementStats same = unit.stats.get(previous.fingerprint);
                if (same != null) {
                    s.previousSelect = same;
                }
            }
        }
    }

    /**
     * When the unit ends: the findings of every statement that broke a rule, in rule order for each statement.
     *
     * @param tableTag the table name as tagged (bounded)
     */
    public void findings(DetectionState unit, String endpoint, UnaryOperator<String> tableTag, Consumer<Finding> out) {
        if (!unit.anyBroken) {
            return;
        }
        for (StatementStats s : unit.stats.values()) {
            for (int r = 0; r < rules.length; r++) {
                if (s.broke(r)) {
                    out.accept(rules[r].finding(s, endpoint, tableTag.apply(s.fingerprint.table()), s.callSite(r)));
                }
            }
        }
    }

    /** For a rule first broken by merging: another rule's call site, else where a part first ran the statement. */
    private static String firstCallSite(DetectionState unit, StatementStats stats) {
        String site = stats.anyCallSite();
        ConcurrentHashMap<Fingerprint, String> sites = unit.sharedCallSites;
        if (site == null && sites != null) {
            site = sites.get(stats.fingerprint);
        }
        return site == null || site.equals(DetectionState.UNKNOWN_SITE) ? null : site;
    }

    private static boolean isPaging(Object index, long pagingMask) {
        if (pagingMask != 0 && index instanceof Integer i) {
            int bit = i - 1;
            return bit >= 0 && bit < 64 && (pagingMask & (1L << bit)) != 0;
        }
        return false;
    }
}
