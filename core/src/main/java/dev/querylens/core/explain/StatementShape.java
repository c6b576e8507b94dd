package dev.querylens.core.explain;

import dev.querylens.core.sql.SqlCalls;
import dev.querylens.core.sql.SqlLexer;
import dev.querylens.core.sql.SqlSyntax;
import dev.querylens.core.sql.Token;
import dev.querylens.core.sql.Token.Kind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the explain code reads from a statement's own text: whether it may be explained at all, whether its
 * {@code LIMIT} lets the first table read stop early, and which table each alias stands for. MySQL and MariaDB
 * plans name tables by alias and print no {@code LIMIT}, so their reader needs the text; H2 plans are SQL text.
 */
final class StatementShape {

    /** A table named in a {@code FROM} or {@code JOIN}: its schema when written, else {@code null}. */
    record TableRef(String schema, String table) {
    }

    /**
     * A function call as written: its name (unquoted), whether a schema or anything else qualifies it
     * ({@code s.f(...)}) and whether the name was quoted.
     */
    record Call(String name, boolean qualified, boolean quoted) {
    }

    private static final Set<String> AGGREGATES = Set.of(
            "COUNT", "SUM", "AVG", "MIN", "MAX", "ARRAY_AGG", "STRING_AGG", "GROUP_CONCAT", "LISTAGG", "EVERY",
            "BOOL_AND", "BOOL_OR", "BIT_AND", "BIT_OR", "BIT_XOR", "JSON_AGG", "JSONB_AGG", "JSON_ARRAYAGG",
            "JSON_OBJECTAGG", "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "VARIANCE", "VAR_POP", "VAR_SAMP", "MEDIAN");
    // Keywords that make the rows depend on reading everything first.
    private static final Set<String> WHOLE_INPUT = Set.of(
            "ORDER", "GROUP", "HAVING", "DISTINCT", "UNION", "INTERSECT", "EXCEPT", "MINUS", "WINDOW", "OVER");
    private static final Set<String> DATA_CHANGING = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE");
    // Words after a table name that are not its alias.
    private static final Set<String> NOT_ALIAS = Set.of(
            "WHERE", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "NATURAL", "STRAIGHT_JOIN", "ON",
            "USING", "GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET", "FETCH", "UNION", "INTERSECT", "EXCEPT",
            "MINUS", "WINDOW", "FOR", "LATERAL", "USE", "FORCE", "IGNORE", "PARTITION", "TABLESAMPLE", "AS", "INTO",
            "LOCK", "QUALIFY", "SELECT", "VALUES", "WITH", "CONNECT", "START");
    // Words a parenthesis follows without making them a call: keywords, and clauses that take a list.
    private static final Set<String> NOT_CALLS = Set.of(
            "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "IS", "LIKE", "ILIKE", "BETWEEN", "EXISTS", "ANY",
            "ALL", "SOME", "VALUES", "WHEN", "THEN", "ELSE", "CASE", "END", "ON", "USING", "AS", "BY", "HAVING",
            "LIMIT", "OFFSET", "TOP", "FETCH", "UNION", "INTERSECT", "EXCEPT", "MINUS", "JOIN", "WITH", "RECURSIVE",
            "OVER", "FILTER", "WITHIN", "GROUP", "DISTINCT", "LATERAL", "MATERIALIZED", "ESCAPE", "ARRAY", "SETS",
            "INDEX", "KEY", "PARTITION", "COLUMNS", "PATH", "TO", "OVERLAPS", "XOR", "DIV", "ORDER", "OF",
            "RETURNING", "COLLATE", "SIMILAR", "UNKNOWN", "NULL", "TRUE", "FALSE", "ONLY", "ROWS", "RANGE",
            "PRECEDING", "FOLLOWING", "TABLESAMPLE", "REPEATABLE", "STRAIGHT_JOIN", "WINDOW", "QUALIFY");
    // Keywords that end a FROM list at the same depth.
    private static final Set<String> END_OF_FROM = Set.of(
            "WHERE", "GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET", "FETCH", "UNION", "INTERSECT", "EXCEPT",
            "MINUS", "WINDOW", "FOR", "QUALIFY", "INTO", "LOCK");

    private final List<Token> tokens;
    private final String notExplainable;
    private final boolean limitStopsEarly;
    private final Map<String, TableRef> tables = new HashMap<>();
    private final Set<String> ambiguous = new HashSet<>();
    private final List<Call> calls = new ArrayList<>();
    private boolean assignment;

    private StatementShape(SqlLexer.Result lexed) {
        this.tokens = lexed.withoutComments();
        this.notExplainable = findNotExplainable(lexed);
        this.limitStopsEarly = readLimit();
        readTables();
        readCalls();
    }

    /** Reads {@code sql} as {@code syntax} does. Never throws. */
    static StatementShape of(String sql, SqlSyntax syntax) {
        return new StatementShape(SqlLexer.lexAsWritten(sql == null ? "" : sql, syntax));
    }

    /**
     * Reads {@code sql} as a session of unknown settings may: when {@code syntaxes} read it differently, the
     * statement is {@linkplain #notExplainable() not explainable}. Never throws.
     */
    static StatementShape of(String sql, List<SqlSyntax> syntaxes) {
        return new StatementShape(SqlLexer.lexAsWritten(sql == null ? "" : sql, syntaxes));
    }

    /**
     * Why this statement must not be explained, or {@code null} when it may: only one plain {@code SELECT}
     * (or {@code WITH ... SELECT}) read without doubt is explained; a second statement after a {@code ;} would run
     * for real, and so would code that the database reads where the lexer saw a string or a comment.
     */
    String notExplainable() {
        return notExplainable;
    }

    /**
     * The functions the statement calls as its database reads it ({@link SqlCalls#functions}): qualified and
     * quoted names as written, unquoted ones lowercased. A decision that a statement calls nothing but harmless
     * built-ins must also require {@link #notExplainable()} to be {@code null}: text read with doubt may hide a call.
     */
    List<String> functions() {
        return SqlCalls.functions(tokens);
    }

    /** True when the statement calls a sequence ({@code nextval}, {@code NEXT VALUE FOR}...; {@link SqlCalls#sequence}). */
    boolean sequenceCall() {
        return SqlCalls.sequence(tokens) != null;
    }

    /**
     * True when the outermost query has a {@code LIMIT}, {@code FETCH FIRST} or {@code TOP} and nothing that
     * needs its whole input first: no {@code ORDER BY}, {@code GROUP BY}, {@code DISTINCT}, set operation,
     * window or aggregate function at the outer level.
     */
    boolean limitStopsEarly() {
        return limitStopsEarly;
    }

    /** Every name in the text (words and quoted names, as they stand for themselves), lower-cased. */
    Set<String> names() {
        Set<String> names = new HashSet<>();
        for (Token t : tokens) {
            if (t.isName()) {
                names.add(t.value().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /**
     * Everything in the text that the database could read as a function call, in order, at any depth: the gate
     * of {@link SideEffectFreeFunctions}. Unlike {@link #functions()}, which says what a statement calls for its
     * fingerprint, it errs towards a call: every name a bracket follows counts, whatever stands before it
     * ({@code JOIN b ON f(a) = b.id}, H2's {@code SET(@v, 1)}), unless it is a keyword that opens a list, a type
     * after {@code AS} or {@code ::}, or a column list of a derived table's alias or a WITH query; and a call keeps
     * whether its name was quoted, which a built-in's is not.
     */
    List<Call> calls() {
        return calls;
    }

    /** True when the text assigns a variable ({@code @v := ...}, MySQL and MariaDB). */
    boolean assignsVariable() {
        return assignment;
    }

    /**
     * The table that {@code name} (an alias or a table name, as a plan prints it) stands for, or {@code null}
     * when the text does not say or says it twice differently.
     */
    TableRef table(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return ambiguous.contains(key) ? null : tables.get(key);
    }

    private String findNotExplainable(SqlLexer.Result lexed) {
        if (tokens.isEmpty()) {
            return "empty statement";
        }
        if (!lexed.terminated()) {
            return "unterminated string, quoted name or comment";
        }
        if (lexed.problem() != null) {
            return "the database may read the text otherwise: " + lexed.problem();
        }
        int depth = 0;
        Token first = tokens.get(0);
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isSymbol(";") && i < tokens.size() - 1) {
                return "more than one statement";
            }
            depth += depthChange(t);
            if (depth < 0) {
                return "unbalanced brackets";
            }
            if (depth == 0 && t.isWord("INTO")) {
                return "SELECT ... INTO writes its result";
            }
            // Only a WITH can hide a data-changing statement (PostgreSQL's writable CTEs); REPLACE( is a function.
            if (first.isWord("WITH") && t.kind() == Kind.WORD && DATA_CHANGING.contains(t.upper())
                    && !next(i).isSymbol("(")) {
                return "the statement changes data (" + t.upper() + ")";
            }
        }
        if (depth != 0) {
            return "unbalanced brackets";
        }
        if (first.isWord("SELECT") || first.isWord("WITH") || first.isSymbol("(")) {
            return null;
        }
        return "not a SELECT statement";
    }

    private boolean readLimit() {
        int depth = 0;
        boolean limit = false;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (depth == 0 && t.kind() == Kind.WORD) {
                String word = t.upper();
                if (WHOLE_INPUT.contains(word)) {
                    return false;
                }
                if (AGGREGATES.contains(word) && next(i).isSymbol("(")) {
                    return false;
                }
                if ((word.equals("LIMIT") && !next(i).isWord("ALL") && !next(i).isWord("NULL"))
                        || (word.equals("FETCH") && (next(i).isWord("FIRST") || next(i).isWord("NEXT")))
                        || (word.equals("TOP") && i > 0 && tokens.get(i - 1).isWord("SELECT"))) {
                    limit = true;
                }
            }
            depth += depthChange(t);
        }
        return limit;
    }

    private void readTables() {
        // fromDepth[d] is true while a FROM list is open at parenthesis depth d.
        boolean[] fromDepth = new boolean[tokens.size() + 2];
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(")) {
                depth++;
                fromDepth[depth] = false;
                continue;
            }
            if (t.isSymbol(")")) {
                depth = Math.max(0, depth - 1);
                continue;
            }
            if (t.kind() == Kind.WORD && END_OF_FROM.contains(t.upper())) {
                fromDepth[depth] = false;
            }
            boolean startsRef = t.isWord("FROM") || t.isWord("JOIN") || (t.isSymbol(",") && fromDepth[depth]);
            if (t.isWord("FROM")) {
                fromDepth[depth] = true;
            }
            if (startsRef) {
                readTableRef(i + 1);
            }
        }
    }

    private void readCalls() {
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isSymbol(":=")) {
                assignment = true;
            }
            if (!t.isName() || !next(i).isSymbol("(")) {
                continue;
            }
            Token before = i > 0 ? tokens.get(i - 1) : null;
            if (t.kind() == Kind.WORD && NOT_CALLS.contains(t.upper())) {
                continue;
            }
            // a type with its length (x::numeric(10, 2), CAST(x AS varchar(20))), columns of a derived table's
            // alias ((SELECT ...) AS d (a, b), (SELECT ...) d (a, b)) or of a WITH query (WITH w (a, b) AS (...))
            if (before != null && (before.isSymbol("::") || before.isWord("AS") || before.isSymbol(")"))) {
                continue;
            }
            if (withColumns(i)) {
                continue;
            }
            calls.add(new Call(t.value(), before != null && before.isSymbol("."), t.kind() == Kind.QUOTED));
        }
    }

    /** True when the name at {@code i} starts a WITH query's column list: {@code w (a, b) AS (}. */
    private boolean withColumns(int i) {
        Token before = i > 0 ? tokens.get(i - 1) : null;
        if (before == null || !(before.isWord("WITH") || before.isWord("RECURSIVE") || before.isSymbol(","))) {
            return false;
        }
        int depth = 0;
        for (int k = i + 1; k < tokens.size(); k++) {
            depth += depthChange(tokens.get(k));
            if (depth == 0) {
                return k + 1 < tokens.size() && tokens.get(k + 1).isWord("AS");
            }
        }
        return false;
    }

    private void readTableRef(int i) {
        if (i >= tokens.size() || !tokens.get(i).isName() || next(i).isSymbol("(")) {
            return; // derived table, table function or nothing
        }
        String first = tokens.get(i).value();
        String second = null;
        if (next(i).isSymbol(".") && i + 2 < tokens.size() && tokens.get(i + 2).isName()) {
            second = tokens.get(i + 2).value();
            i += 2;
        }
        TableRef ref = second == null ? new TableRef(null, first) : new TableRef(first, second);
        put(ref.table(), ref);
        int a = i + 1;
        if (a < tokens.size() && tokens.get(a).isWord("AS")) {
            a++;
        }
        if (a < tokens.size() && tokens.get(a).isName()
                && !(tokens.get(a).kind() == Kind.WORD && NOT_ALIAS.contains(tokens.get(a).upper()))) {
            put(tokens.get(a).value(), ref);
        }
    }

    private void put(String name, TableRef ref) {
        String key = name.toLowerCase(Locale.ROOT);
        TableRef old = tables.putIfAbsent(key, ref);
        if (old != null && !old.equals(ref)) {
            ambiguous.add(key);
        }
    }

    private Token next(int i) {
        return i + 1 < tokens.size() ? tokens.get(i + 1) : new Token(Kind.SYMBOL, "", 0);
    }

    private static int depthChange(Token t) {
        return t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
    }
}
