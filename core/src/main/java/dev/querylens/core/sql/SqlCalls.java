package dev.querylens.core.sql;

import dev.querylens.core.sql.Token.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a statement calls: the functions it names and the sequences it advances or reads. Works on tokens of either
 * reading ({@link SqlLexer#lexAsWritten} or the fingerprinter's), comments left out; words compare ignoring case.
 */
public final class SqlCalls {

    /**
     * Words that stand before a bracket without calling anything: keywords that open a list or a subquery,
     * window and grouping clauses, row and array constructors.
     */
    private static final Set<String> NOT_CALLS = Set.of(
            "select", "from", "where", "and", "or", "not", "in", "is", "like", "ilike", "between", "exists", "any",
            "all", "some", "values", "set", "when", "then", "else", "case", "on", "using", "as", "by", "having",
            "limit", "offset", "top", "fetch", "first", "next", "returning", "return", "union", "intersect",
            "except", "minus", "join", "with", "recursive", "over", "filter", "within", "group", "into", "distinct",
            "conflict", "lateral", "materialized", "escape", "key", "do", "row", "array", "rollup", "cube", "sets",
            "partition", "order", "window", "table", "references", "against", "only", "straight_join", "inner",
            "full", "outer", "cross", "natural", "update", "delete", "merge", "call", "exec", "execute", "unique",
            "primary", "check", "index", "for");
    // Names after which a bracket lists columns, not arguments: INSERT INTO t (, REPLACE t (, REFERENCES t (.
    private static final Set<String> BEFORE_TARGET = Set.of("into", "insert", "replace", "table", "references", "on",
            "update", "merge");
    // gen_id(s, n): Firebird's (and InterBase's) sequence step
    private static final Set<String> SEQUENCE_FUNCTIONS = Set.of("nextval", "currval", "setval", "lastval", "gen_id");
    // NEXT VALUE FOR s (standard, H2, SQL Server, MariaDB), PREVIOUS/CURRENT VALUE FOR s, DB2's NEXTVAL FOR s.
    private static final Set<String> SEQUENCE_VALUE_WORDS = Set.of("next", "previous", "current");

    private SqlCalls() {
    }

    /**
     * The functions the statement calls, in order of appearance, each once: every name followed by an opening
     * bracket, except keywords ({@code IN (}, {@code VALUES (}, {@code EXISTS (}, {@code OVER (}...), a type after
     * {@code AS} or {@code ::} ({@code varchar(20)}), a table whose columns follow ({@code INSERT INTO t (}) and a
     * common table expression's column list ({@code WITH c (a) AS (}). An unquoted name is lowercased, a quoted one
     * keeps its case; a qualified name is kept whole ({@code pg_catalog.nextval}, {@code app.lower}), so an
     * allow-list of built-ins can tell it from a schema's own function of the same name.
     */
    public static List<String> functions(List<Token> tokens) {
        List<String> names = new ArrayList<>(4);
        int[] closes = closes(tokens);
        for (int k = 0; k + 1 < tokens.size(); k++) {
            if (!tokens.get(k + 1).isSymbol("(") || !tokens.get(k).isName()) {
                continue;
            }
            int first = k;
            while (first >= 2 && tokens.get(first - 1).isSymbol(".") && tokens.get(first - 2).isName()) {
                first -= 2;
            }
            if (!isCall(tokens, first, k, closes[k + 1])) {
                continue;
            }
            String name = qualifiedName(tokens, first, k);
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static boolean isCall(List<Token> tokens, int first, int last, int close) {
        Token name = tokens.get(last);
        if (first == last && name.kind() == Kind.WORD && NOT_CALLS.contains(name.text().toLowerCase(Locale.ROOT))) {
            return false;
        }
        Token before = first > 0 ? tokens.get(first - 1) : null;
        if (before != null && (before.isSymbol("::") || before.isWord("as"))) {
            return false; // a type: CAST(x AS varchar(20)), x::numeric(10, 2), or an alias's column list
        }
        if (before != null && before.kind() == Kind.WORD && BEFORE_TARGET.contains(before.text().toLowerCase(Locale.ROOT))) {
            return false;
        }
        // WITH c (a, b) AS (...): a common table expression's columns
        return !(close + 2 < tokens.size() && tokens.get(close + 1).isWord("as")
                && (tokens.get(close + 2).isSymbol("(") || tokens.get(close + 2).isWord("not")
                || tokens.get(close + 2).isWord("materialized")));
    }

    /**
     * The sequence the statement calls, or {@code null} when it calls none: {@code nextval('s')},
     * {@code nextval(s)} (MariaDB), {@code currval}, {@code setval}, {@code lastval(s)}, {@code NEXT VALUE FOR s},
     * {@code PREVIOUS VALUE FOR s}, {@code CURRENT VALUE FOR s}, {@code NEXTVAL FOR s} (DB2), {@code s.nextval}
     * and {@code s.currval} (Oracle, H2, MariaDB's Oracle mode). The name is lowercased, unquoted, qualified when
     * written so; it is {@code ""} when the call names no sequence the text shows ({@code lastval()},
     * {@code nextval(?)}). The one literal read as a name: the string argument of a sequence function is one.
     */
    public static String sequence(List<Token> tokens) {
        for (int k = 0; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            if (t.kind() != Kind.WORD) {
                continue;
            }
            String word = t.text().toLowerCase(Locale.ROOT);
            if (SEQUENCE_FUNCTIONS.contains(word) && next(tokens, k).isSymbol("(")) {
                return argumentName(tokens, k + 2);
            }
            if (SEQUENCE_VALUE_WORDS.contains(word) && next(tokens, k).isWord("value") && next(tokens, k + 1).isWord("for")) {
                return nameAt(tokens, k + 3);
            }
            if (word.equals("nextval") && next(tokens, k).isWord("for")) {
                return nameAt(tokens, k + 2);
            }
            if ((word.equals("nextval") || word.equals("currval")) && k >= 2 && tokens.get(k - 1).isSymbol(".")
                    && tokens.get(k - 2).isName()) {
                int first = k - 2;
                while (first >= 2 && tokens.get(first - 1).isSymbol(".") && tokens.get(first - 2).isName()) {
                    first -= 2;
                }
                return qualifiedName(tokens, first, k - 2).toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /** The sequence named by the first argument at {@code k}: a string, a name, or {@code ""}. */
    private static String argumentName(List<Token> tokens, int k) {
        if (k >= tokens.size()) {
            return "";
        }
        Token arg = tokens.get(k);
        if (arg.kind() == Kind.STRING && arg.text().startsWith("'") && arg.text().length() >= 2) {
            String body = arg.text().substring(1, arg.text().length() - (arg.text().endsWith("'") ? 1 : 0))
                    .replace("''", "'");
            StringBuilder name = new StringBuilder();
            for (String part : body.split("\\.", -1)) {
                String p = part.strip();
                if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) {
                    p = p.substring(1, p.length() - 1).replace("\"\"", "\"");
                }
                name.append(name.length() == 0 ? "" : ".").append(p);
            }
            return name.toString().toLowerCase(Locale.ROOT);
        }
        return nameAt(tokens, k);
    }

    private static String nameAt(List<Token> tokens, int k) {
        if (k >= tokens.size() || !tokens.get(k).isName()) {
            return "";
        }
        int last = k;
        while (last + 2 < tokens.size() && tokens.get(last + 1).isSymbol(".") && tokens.get(last + 2).isName()) {
            last += 2;
        }
        return qualifiedName(tokens, k, last).toLowerCase(Locale.ROOT);
    }

    private static String qualifiedName(List<Token> tokens, int first, int last) {
        StringBuilder name = new StringBuilder();
        for (int j = first; j <= last; j += 2) {
            Token part = tokens.get(j);
            if (j > first) {
                name.append('.');
            }
            name.append(part.kind() == Kind.QUOTED ? part.value() : part.text().toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }

    /** For each opening bracket, the index of its closing one ({@code tokens.size()} when never closed): one pass. */
    private static int[] closes(List<Token> tokens) {
        int[] closes = new int[tokens.size()];
        int[] open = new int[tokens.size()];
        int depth = 0;
        for (int j = 0; j < tokens.size(); j++) {
            if (tokens.get(j).isSymbol("(")) {
                open[depth++] = j;
                closes[j] = tokens.size();
            } else if (tokens.get(j).isSymbol(")") && depth > 0) {
                closes[open[--depth]] = j;
            }
        }
        return closes;
    }

    private static Token next(List<Token> tokens, int k) {
        return k + 1 < tokens.size() ? tokens.get(k + 1) : new Token(Kind.SYMBOL, "", 0);
    }
}
