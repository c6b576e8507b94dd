package dev.querylens.core.sql;

import dev.querylens.core.sql.Token.Kind;

import java.util.Locale;
import java.util.Set;

/** Reads what a statement does and which table it mainly touches. */
final class Classifier {

    /** The operation, and the main table or {@code null}. */
    record Result(Operation operation, String table) {
    }

    private static final Result NONE = new Result(Operation.OTHER, null);
    // Deeper nesting is not real-world SQL; the bound keeps hostile input from exhausting the stack.
    private static final int MAX_DEPTH = 32;
    // Words between the verb (or FROM / INTO) and the table name in MySQL and PostgreSQL.
    private static final Set<String> MODIFIERS = Set.of(
            "only", "lateral", "low_priority", "high_priority", "delayed", "quick", "ignore");

    private final Tokens ts;

    private Classifier(Tokens ts) {
        this.ts = ts;
    }

    static Result classify(Tokens ts) {
        return new Classifier(ts).statement(0, ts.size(), 0);
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

    /** The first table after the FROM of this query level. */
    private String selectTable(int i, int to, int depth) {
        for (int j = i; j < to; j++) {
            if (ts.opens(j)) {
                j = ts.close(j);
            } else if (ts.word(j, "from")) {
                return source(j + 1, to, depth);
            }
        }
        return null;
    }

    /** A FROM item: a table, a subquery (its first table), a parenthesised join, or a table function (none). */
    private String source(int i, int to, int depth) {
        i = skipModifiers(i, to);
        if (ts.symbol(i, "(")) {
            int close = Math.min(ts.close(i), to);
            Result inner = statement(i + 1, close, depth + 1);
            return inner.operation() == Operation.OTHER && depth < MAX_DEPTH
                    ? source(i + 1, close, depth + 1)
                    : inner.table();
        }
        int end = nameEnd(i, to);
        return ts.symbol(end, "(") ? null : name(i, to);
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
