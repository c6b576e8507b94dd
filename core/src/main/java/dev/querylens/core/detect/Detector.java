package dev.querylens.core.detect;

import dev.querylens.core.jdbc.BindHash;
import dev.querylens.core.jdbc.BoundQueryInfo;
import dev.querylens.core.jdbc.BoundValues;
import dev.querylens.core.sql.Fingerprint;
import dev.querylens.core.sql.Operation;
import dev.querylens.core.sql.ParsedSql;
import dev.querylens.core.sql.ValueRoles;

import net.ttddyy.dsproxy.QueryInfo;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Runs the {@link Rule}s over a unit of work. On the statement path it tells executions apart by hashes of their
 * values (never keeping a value), counts them per statement and asks each rule whether the statement now breaks
 * it; it walks the stack only once per broken rule, for the call site, and not even then when the findings already
 * hold that finding of the unit's endpoint (see {@link CallSiteSource#forFinding}). When the unit ends it hands over
 * the findings.
 *
 * <p>What an execution's values are compared by:
 * <ul>
 *   <li>the <em>key</em>: every value but paging values ({@code LIMIT}, {@code OFFSET}, {@code FETCH}, {@code TOP})
 *       and keyset positions ({@code where id > ? order by id limit ?}): paging through one listing is no loop over
 *       keys. Keys that vary make an N+1;</li>
 *   <li>the values <em>outside</em> key lists: when an execution carries two or more keys in one {@code IN} list or
 *       array ({@code = ANY (?)} bound to an array of two or more elements), it fetches a batch, unless the values
 *       outside the list vary between executions: then the list is a constant filter and the loop is over the other
 *       values;</li>
 *   <li>every value and the DataSource: the same ones again make a duplicate.</li>
 * </ul>
 * SELECTs in a JDBC batch are not analysed. Writes count towards unbatched writes when they run one at a time, and
 * a write to a table (or a change of schema or database) restarts the duplicate count of the SELECTs that read it.
 */
public final class Detector {

    /** The table of a change of schema or database: every statement is affected. */
    static final String EVERY_TABLE = "*";

    private final Rule[] rules;
    private final int maxFingerprints;
    private final CallSiteSource callSites;

    /**
     * @param rules     at most 64, in the order their findings are reported for one statement
     * @param callSites names the application code that ran the current statement
     */
    public Detector(List<Rule> rules, RuleSettings settings, CallSiteSource callSites) {
        if (rules.size() > Long.SIZE) {
            throw new IllegalArgumentException("at most " + Long.SIZE + " rules, not " + rules.size());
        }
        this.rules = rules.toArray(new Rule[0]);
        this.maxFingerprints = settings.unitMaxFingerprints();
        this.callSites = callSites;
    }

    /**
     * On the statement path: one execution of {@code sql} in the unit whose state is {@code unit}.
     *
     * @param batch      whether it ran in a JDBC batch
     * @param dataSource the DataSource's name, or {@code null}
     * @param query      the execution's SQL and parameters (for a batch, the parameters are not read)
     */
    public void onExecution(DetectionState unit, ParsedSql sql, boolean batch, String dataSource, QueryInfo query) {
        Fingerprint fp = sql.fingerprint();
        Operation op = fp.operation();
        if (writes(op)) {
            onWrite(unit, sql, batch, batch ? BoundValues.NONE : values(unit, query));
            return;
        }
        if (changesSchema(fp)) {
            wrote(unit, EVERY_TABLE);
            return;
        }
        if (batch || op != Operation.SELECT) {
            return;
        }
        StatementStats stats = stats(unit, fp);
        if (stats == null) {
            return;
        }
        unit.lastSelect = stats;
        if (stats.writesSeen != unit.writes) {
            if (affectedByWritesSince(unit, stats)) {
                stats.restartDuplicates();
            }
            stats.writesSeen = unit.writes;
        }

        ValueRoles roles = sql.roles();
        long pagingMask = sql.pagingBindMask();
        long keyHash;
        long fullHash;
        long outsideHash;
        boolean manyKeys;
        if (!roles.mayFetchMany() && query instanceof BoundQueryInfo bound) {
            // the fast path: Querylens's own JDBC wrappers summed the hashes as the values were set
            fullHash = bound.bindHash();
            keyHash = pagingMask == 0 ? fullHash : bound.bindHashExcept(pagingMask);
            outsideHash = keyHash;
            manyKeys = false;
        } else {
            BoundValues values = values(unit, query);
            manyKeys = manyKeys(unit, roles, values);
            keyHash = 0;
            fullHash = 0;
            outsideHash = 0;
            for (int i = 0, n = values.size(); i < n; i++) {
                int bind = values.parameterIndex(i) - 1;
                long h = hash(unit, roles, values, i, bind);
                // a sum does not depend on the order in which the setters were called
                fullHash += h;
                if (bind < 0 || bind >= Long.SIZE || (pagingMask & (1L << bind)) == 0) {
                    keyHash += h;
                    if (!manyKeys || bind < 0 || !carriesKeys(unit, roles, values, i, bind)) {
                        outsideHash += h;
                    }
                }
            }
        }
        long key = BindHash.mix(sql.literalKey() ^ BindHash.mix(keyHash));
        long full = BindHash.mix(sql.literalAll() ^ BindHash.mix(fullHash)
                ^ (dataSource == null ? 0 : BindHash.mix(dataSource.hashCode())));
        long outside = BindHash.mix(sql.literalOutside() ^ BindHash.mix(outsideHash));
        int sameValues = stats.observe(key, full, manyKeys, outside);
        check(unit, stats, sameValues);
    }

    private static BoundValues values(DetectionState unit, QueryInfo query) {
        if (query instanceof BoundQueryInfo bound) {
            return bound.values();
        }
        return unit.operationValues.reset(query.getParametersList());
    }

    /** The value's hash; an array bound where keys may stand is known by its content, not its identity. */
    private static long hash(DetectionState unit, ValueRoles roles, BoundValues values, int i, int bind) {
        if (bind >= 0 && roles.arrayBind(bind)) {
            long content = unit.arrays.contentHash(values.value(i));
            if (content != 0) {
                return BindHash.operation(0, bind + 1, (int) (content ^ (content >>> 32)));
            }
        }
        return values.hash(i);
    }

    private void onWrite(DetectionState unit, ParsedSql sql, boolean batch, BoundValues values) {
        Fingerprint fp = sql.fingerprint();
        wrote(unit, fp.table());
        if (batch || sql.roles().valuesRows() >= 2 || manyKeys(unit, sql.roles(), values)) {
            return;
        }
        StatementStats stats = stats(unit, fp);
        if (stats != null) {
            stats.singleWrites++;
            check(unit, stats, 0);
        }
    }

    private StatementStats stats(DetectionState unit, Fingerprint fp) {
        StatementStats stats = unit.stats.get(fp);
        if (stats == null) {
            if (unit.stats.size() >= maxFingerprints) {
                unit.untracked++;
                return null;
            }
            stats = new StatementStats(fp, unit.lastSelect);
            stats.writesSeen = unit.writes;
            unit.stats.put(fp, stats);
            ConcurrentHashMap<Fingerprint, String> sites = unit.partCallSites;
            if (sites != null && !sites.containsKey(fp)) {
                // on a thread the unit handed work to: name the place once per statement and unit
                String site = callSites.capture().location();
                sites.putIfAbsent(fp, site == null ? DetectionState.UNKNOWN_SITE : site);
            }
        }
        return stats;
    }

    private void check(DetectionState unit, StatementStats stats, int sameValues) {
        for (int r = 0; r < rules.length; r++) {
            if (!stats.broke(r) && rules[r].breaks(stats, sameValues)) {
                stats.markBroken(r, rules.length, callSites.forFinding(rules[r].kind(), stats.fingerprint));
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
     * Whether this execution carries two or more keys in one list or array: a key list written with literals, a
     * list of bind markers two or more of whose elements are bound to non-null values (Hibernate pads its batch
     * lists with nulls), or an array bind with two or more non-null elements (or of unknown length).
     */
    private static boolean manyKeys(DetectionState unit, ValueRoles roles, BoundValues values) {
        if (!roles.mayFetchMany()) {
            return false;
        }
        if (roles.literalList() >= 2) {
            return true;
        }
        int[] lists = roles.lists();
        int listCount = lists.length / 3;
        if (unit.listKeys.length < listCount) {
            unit.listKeys = new int[listCount];
        }
        int[] keys = unit.listKeys;
        java.util.Arrays.fill(keys, 0, listCount, 0);
        for (int i = 0, n = values.size(); i < n; i++) {
            int bind = values.parameterIndex(i) - 1;
            if (bind < 0) {
                continue;
            }
            for (int k = 0; k < listCount; k++) {
                int first = lists[3 * k];
                int per = lists[3 * k + 1];
                if (bind >= first && bind < first + per * lists[3 * k + 2] && (bind - first) % per == 0
                        && !values.isNull(i) && ++keys[k] >= 2) {
                    return true;
                }
            }
            if (roles.arrayBind(bind)) {
                int elements = unit.arrays.elements(values.value(i));
                if (elements >= 2 || elements == KnownArrays.UNKNOWN_LENGTH) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the {@code i}-th value, bound at {@code bind}, is one of the keys of a list or an array of many. */
    private static boolean carriesKeys(DetectionState unit, ValueRoles roles, BoundValues values, int i, int bind) {
        if (roles.inList(bind)) {
            return true;
        }
        if (roles.arrayBind(bind)) {
            int elements = unit.arrays.elements(values.value(i));
            return elements >= 2 || elements == KnownArrays.UNKNOWN_LENGTH;
        }
        return false;
    }

    private static void wrote(DetectionState unit, String table) {
        unit.recentWrites[unit.writes & (unit.recentWrites.length - 1)] = table == null ? EVERY_TABLE : table;
        unit.writes++;
    }

    /** Whether a write since the statement last ran may have changed what it reads. */
    private static boolean affectedByWritesSince(DetectionState unit, StatementStats stats) {
        int since = unit.writes - stats.writesSeen;
        if (since < 0 || since > unit.recentWrites.length) {
            return true;
        }
        for (int w = stats.writesSeen; w < unit.writes; w++) {
            if (reads(stats.fingerprint, unit.recentWrites[w & (unit.recentWrites.length - 1)])) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code fp} names {@code table} (the last part of a qualified name) as a whole word. */
    static boolean reads(Fingerprint fp, String table) {
        if (EVERY_TABLE.equals(table)) {
            return true;
        }
        String name = table.substring(table.lastIndexOf('.') + 1);
        if (fp.table() != null && (fp.table().equals(table) || fp.table().endsWith("." + name) || fp.table().equals(name))) {
            return true;
        }
        String sql = fp.normalized();
        for (int at = sql.indexOf(name); at >= 0; at = sql.indexOf(name, at + 1)) {
            int end = at + name.length();
            if ((at == 0 || !identifierPart(sql.charAt(at - 1))) && (end == sql.length() || !identifierPart(sql.charAt(end)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean identifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static boolean writes(Operation op) {
        return op == Operation.INSERT || op == Operation.UPDATE || op == Operation.DELETE || op == Operation.MERGE;
    }

    /** Sequence calls and locking reads return something new each time: never duplicates. */
    static boolean neverDuplicate(Fingerprint fp) {
        return fp.sequenceCall() || fp.lockingRead();
    }

    private static boolean changesSchema(Fingerprint fp) {
        return fp.switchesSchema();
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
    private static CallSite firstCallSite(DetectionState unit, StatementStats stats) {
        CallSite site = stats.anyCallSite();
        ConcurrentHashMap<Fingerprint, String> sites = unit.sharedCallSites;
        if (site == CallSite.UNKNOWN && sites != null) {
            String location = sites.get(stats.fingerprint);
            site = location == null || location.equals(DetectionState.UNKNOWN_SITE) ? CallSite.UNKNOWN : CallSite.at(location);
        }
        return site;
    }
}
