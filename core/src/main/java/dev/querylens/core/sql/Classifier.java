package dev.querylens.core.sql;

import dev.querylens.core.sql.Token.Kind;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads what a statement does and which base table it mainly reads or writes: the first table of the main
 * {@code FROM} (through derived tables and common table expressions to the base table they read), else the first
 * table any nested query reads ({@code SELECT EXISTS (SELECT 1 FROM t ...)}), else the sequence it calls. A
 * common table expression's name or a derived table's alias is never the table.
 */
final class Classifier {

    /** The operation, and the main table or {@code null}. */
    record Result(Operation operation, String table) {
    }

    /** What the whole statement says beyond its operation and table. */
    record Traits(Operation operation, String table, boolean sequenceCall, boolean lockingRead,
                  boolean switchesSchema) {
    }

    private static final Result NONE = new Result(Operation.OTHER, null);
    // Deeper nesting is not real-world SQL; the bound keeps hostile input from exhausting the stack.
    private static final int MAX_DEPTH = 32;
    // Words between the verb (or FROM / INTO) and the table name in MySQL and PostgreSQL.
    private static final Set<String> MODIFIERS = Set.of(
            "only", "lateral", "low_priority", "high_priority", "delayed", "quick", "ignore");
    // Words that end a FROM list at its level.
    private static final Set<String> END_OF_FROM = Set.of(
            "where", "group", "order", "having", "limit", "offset", "fetch", "union", "intersect", "except", "minus",
            "window", "for", "qualify", "into", "lock", "returning", "start", "connect");
    // Tables that stand where a FROM needs one and hold nothing: a sequence call is what reads.
    private static final Set<String> DUMMY_TABLES = Set.of("dual", "sysibm.sysdummy1");

    private final Tokens ts;
    /** Common table expressions by name: the bounds of their bodies. */
    private final Map<String, int[]> ctes = new HashMap<>();
    /** The table each common table expression reads, once read ({@link #NO_TABLE} for none): read once each. */
    private final Map<String, String> cteTables = new HashMap<>();
    private static final String NO_TABLE = "";

    private Classifier(Tokens ts) {
        this.ts = ts;
    }

    static Result classify(Tokens ts) {
        return new Classifier(ts).statement(0, ts.size(), 0);
    }

    /** The operation and table, with the flags the rules need, read from the statement's tokens. */
    static Traits traits(Tokens ts, List<Token> tokens) {
        Result main = classify(ts);
        String sequence = SqlCalls.sequence(tokens);
        String table = main.table();
        if (sequence != null && !sequence.isEmpty()
                && (table == null || DUMMY_TABLES.contains(table) || main.operation() == Operation.CALL)) {
            table = sequence;
        }
        return new Traits(main.operation(), table, sequence != null, lockingRead(ts), switchesSchema(ts));
    }

    /**
     * {@code FOR UPDATE} (with {@code NOWAIT}, {@code SKIP LOCKED}, {@code OF}), {@code FOR NO KEY UPDATE},
     * {@code FOR SHARE}, {@code FOR KEY SHARE}, MySQL's {@code LOCK IN SHARE MODE}, SQL Server's {@code UPDLOCK},
     * {@code XLOCK} and {@code HOLDLOCK} hints.
     */
    private static boolean lockingRead(Tokens ts) {
        for (int k = 0; k < ts.size(); k++) {
            if (ts.word(k, "for") && (ts.word(k + 1, "update") || ts.word(k + 1, "share")
                    || (ts.word(k + 1, "no") && ts.word(k + 2, "key") && ts.word(k + 3, "update"))
                    || (ts.word(k + 1, "key") && ts.word(k + 2, "share")))) {
                return true;
            }
            if (ts.word(k, "lock") && ts.word(k + 1, "in") && ts.word(k + 2, "share") && ts.word(k + 3, "mode")) {
                return true;
            }
            if (ts.word(k, "updlock") || ts.word(k, "xlock") || ts.word(k, "holdlock")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A statement after which the connection reads other tables by the same names: {@code USE db} (MySQL,
     * SQL Server), {@code SET SCHEMA}, {@code SET search_path} (with {@code SESSION} or {@code LOCAL}),
     * {@code SET SCHEMA_SEARCH_PATH} (H2), {@code SET DATABASE}, Oracle's {@code ALTER SESSION SET CURRENT_SCHEMA},
     * PostgreSQL's {@code set_config('search_path', ...)}.
     */
    private static boolean switchesSchema(Tokens ts) {
        if (ts.size() == 0) {
            return false;
        }
        if (ts.word(0, "use") && ts.size() > 1 && ts.get(1).isName()) {
            return true;
        }
        int k = ts.word(0, "alter") && ts.word(1, "session") ? 2 : 0;
        if (ts.word(k, "set")) {
            int j = ts.word(k + 1, "session") || ts.word(k + 1, "local") ? k + 2 : k + 1;
            if (ts.word(j, "current") && ts.word(j + 1, "schema")) {
                return true; // DB2's SET CURRENT SCHEMA
            }
            if (ts.word(j, "schema") || ts.word(j, "search_path") || ts.word(j, "schema_search_path")
                    || ts.word(j, "current_schema") || ts.word(j, "database") || ts.word(j, "catalog")) {
                return true;
            }
        }
        for (int j = 0; j + 2 < ts.size(); j++) {
            if (ts.word(j, "set_config") && ts.symbol(j + 1, "(") && ts.get(j + 2).kind() == Kind.STRING
                    && ts.get(j + 2).text().toLowerCase(Locale.ROOT).contains("search_path")) {
                return true;
            }
        }
        return false;
    }

    private Result statement(int from, int to, int depth) {
        int i = from;
        while (i < to && (ts.symbol(i, "(") || ts.symbol(i, "{"))) {
            i++;
        }
        if (i + 1 < to && ts.get(i).kind() == Kind.BIND && ts.symbol(i + 1, "=")) {
            i += 2; // {? = call f(?)}
        }
        if (i >= to || depth > MAX_DEPTH || ts.get(i).kind() != Kind.WORD) {
            return NONE;
        }
        return switch (ts.get(i).text()) {
            case "with" -> with(i + 1, to, depth);
            case "select" -> new Result(Operation.SELECT, selectTable(i + 1, to, depth));
            case "values" -> new Result(Operation.SELECT, null);
            case "table" -> new Result(Operation.SELECT, name(i + 1, to));
            case "insert", "replace" -> new Result(Operation.INSERT, target(i + 1, to, "into"));
            case "merge" -> new Result(Operation.MERGE, target(i + 1, to, "into"));
            case "update" -> new Result(Operation.UPDATE, target(i + 1, to, null));
            case "delete" -> new Result(Operation.DELETE, deleteTable(i + 1, to, depth));
            case "call", "exec", "execute" -> new Result(Operation.CALL, name(i + 1, to));
            default -> NONE;
        };
    }

    /**
     * {@code WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] (body), ... main}: the main statement, unless
     * a body writes and the main statement does not; such a statement is a write and must never pass as a read.
     */
    private Result with(int i, int to, int depth) {
        if (ts.word(i, "recursive")) {
            i++;
        }
        Result write = null;
        while (i < to && ts.get(i).isName()) {
            String cte = ts.get(i).value().toLowerCase(Locale.ROOT);
            i++;
            if (ts.symbol(i, "(")) {
                i = ts.close(i) + 1;
            }
            if (!ts.word(i, "as")) {
                return NONE;
            }
            i++;
            if (ts.word(i, "not")) {
                i++;
            }
            if (ts.word(i, "materialized")) {
                i++;
            }
            if (!ts.symbol(i, "(")) {
                return NONE;
            }
            ctes.putIfAbsent(cte, new int[] {i + 1, ts.close(i)});
            Result body = statement(i + 1, ts.close(i), depth + 1);
            if (write == null && writes(body.operation())) {
                write = body;
            }
            i = ts.close(i) + 1;
            if (!ts.symbol(i, ",")) {
                break;
            }
            i++;
        }
        Result main = statement(i, to, depth + 1);
        return write != null && !writes(main.operation()) ? write : main;
    }

    private static boolean writes(Operation operation) {
        return operation == Operation.INSERT || operation == Operation.UPDATE
                || operation == Operation.DELETE || operation == Operation.MERGE;
    }

    /**
     * The table this query level reads: the first base table of its {@code FROM} list, else the first table a
     * nested query reads (a query with no {@code FROM}, such as {@code SELECT EXISTS (...)}, or whose
     * {@code FROM} holds only table functions).
     */
    private String selectTable(int i, int to, int depth) {
        int from = -1;
        for (int j = i; j < to && from < 0; j++) {
            if (ts.opens(j)) {
                j = ts.close(j);
            } else if (ts.word(j, "from")) {
                from = j;
            }
        }
        if (from < 0) {
            return nestedTable(i, to, depth);
        }
        int end = fromListEnd(from + 1, to);
        String table = fromList(from + 1, end, depth);
        if (table == null) {
            // each part is read once: the FROM list's own queries were read above
            table = nestedTable(i, from, depth);
        }
        return table != null ? table : nestedTable(end, to, depth);
    }

    /** Where the FROM list starting at {@code i} ends: at the clause that follows it, or {@code to}. */
    private int fromListEnd(int i, int to) {
        for (int j = i; j < to; j++) {
            if (ts.opens(j)) {
                j = ts.close(j);
            } else if (ts.get(j).kind() == Kind.WORD && END_OF_FROM.contains(ts.get(j).text())) {
                return j;
            }
        }
        return to;
    }

    /** The first item of the FROM list {@code [i, to)} that names a base table. */
    private String fromList(int i, int to, int depth) {
        int item = i;
        while (item < to) {
            String table = source(item, to, depth);
            if (table != null) {
                return table;
            }
            int j = item;
            while (j < to && !ts.symbol(j, ",") && !ts.word(j, "join")) {
                j = ts.opens(j) ? ts.close(j) + 1 : j + 1;
            }
            item = j + 1;
        }
        return null;
    }

    /** The first table that a query nested anywhere in {@code [i, to)} reads. */
    private String nestedTable(int i, int to, int depth) {
        if (depth > MAX_DEPTH) {
            return null;
        }
        for (int j = i; j < to; j++) {
            if (ts.opens(j)) {
                int close = Math.min(ts.close(j), to);
                Result inner = statement(j + 1, close, depth + 1);
                // a statement has looked into its own nested queries already
                String table = inner.operation() != Operation.OTHER ? inner.table() : nestedTable(j + 1, close, depth + 1);
                if (table != null) {
                    return table;
                }
                j = close;
            }
        }
        return null;
    }

    /**
     * A FROM item: a table (a common table expression stands for the table its body reads), a subquery (its
     * table), a parenthesised join, or a table function (none).
     */
    private String source(int i, int to, int depth) {
        i = skipModifiers(i, to);
        if (ts.symbol(i, "(")) {
            int close = Math.min(ts.close(i), to);
            Result inner = statement(i + 1, close, depth + 1);
            return inner.operation() == Operation.OTHER && depth < MAX_DEPTH
                    ? fromList(i + 1, fromListEnd(i + 1, close), depth + 1)
                    : inner.table();
        }
        int end = nameEnd(i, to);
        if (ts.symbol(end, "(")) {
            return null;
        }
        String name = name(i, to);
        if (name != null && end == i + 1) {
            int[] body = ctes.get(name);
            if (body != null) {
                String known = cteTables.get(name);
                if (known == null) {
                    // a recursive expression reads itself: it reads no table of its own there
                    cteTables.put(name, NO_TABLE);
                    String table = depth < MAX_DEPTH ? statement(body[0], body[1], depth + 1).table() : null;
                    known = table == null ? NO_TABLE : table;
                    cteTables.put(name, known);
                }
                return known.isEmpty() ? null : known;
            }
        }
        return name;
    }

    /** The table after FROM; MySQL {@code DELETE t FROM orders t} names its target by alias, so FROM still wins. */
    private String deleteTable(int i, int to, int depth) {
        String from = selectTable(i, to, depth);
        return from != null ? from : target(i, to, null);
    }

    /** The table after the verb, after {@code keyword} when present, modifiers skipped. */
    private String target(int i, int to, String keyword) {
        i = skipModifiers(i, to);
        if (keyword != null && ts.word(i, keyword)) {
            i = skipModifiers(i + 1, to);
        }
        return name(i, to);
    }

    private int skipModifiers(int i, int to) {
        while (i < to && ts.get(i).kind() == Kind.WORD && MODIFIERS.contains(ts.get(i).text())) {
            i++;
        }
        return i;
    }

    /** The end (exclusive) of the qualified name {@code a.b.c} starting at {@code i}; {@code i} when there is none. */
    private int nameEnd(int i, int to) {
        if (i >= to || !ts.get(i).isName()) {
            return i;
        }
        int j = i + 1;
        while (j + 1 < to && ts.symbol(j, ".") && ts.get(j + 1).isName()) {
            j += 2;
        }
        return j;
    }

    /** The qualified name starting at {@code i}, lowercased and unquoted, or {@code null}. */
    private String name(int i, int to) {
        int end = nameEnd(i, to);
        if (end == i) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        for (int j = i; j < end; j += 2) {
            if (j > i) {
                name.append('.');
            }
            name.append(ts.get(j).value());
        }
        return name.toString().toLowerCase(Locale.ROOT);
    }
}
