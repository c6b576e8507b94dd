package dev.querylens.core.explain;

import dev.querylens.core.sql.SqlLexer;
import dev.querylens.core.sql.Token;
import dev.querylens.core.sql.Token.Kind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds the columns of one table that a plan filter compares with constants, the raw material of an index
 * suggestion. It reads filters as PostgreSQL, MySQL, MariaDB and H2 print them ({@code ((o.status)::text =
 * 'NEW'::text)}, {@code o.`status` in ('A','B')}, {@code "STATUS" = ?1}) and is deliberately narrow: a term it
 * does not fully understand adds no column, so a suggestion is never built from a guess.
 *
 * <p>Usable terms: {@code col = v}, {@code col IN (v, ...)}, {@code col = ANY (v)}, {@code col IS NULL},
 * {@code col <=> v} (equality); {@code <}, {@code >}, {@code <=}, {@code >=}, {@code BETWEEN} (range);
 * {@code LIKE 'prefix%'} (prefix). A value is a literal, a bind marker or a function of those. A column may be
 * qualified, quoted, parenthesised and cast to a text type; any other cast or function on it makes the term
 * unusable, as do {@code <>}, {@code NOT}, {@code IS NOT NULL}, {@code ILIKE} and subqueries. Terms joined by
 * {@code AND} add up; an {@code OR} counts only when every branch constrains the same single column.
 */
final class FilterColumns {

    /** How a column is constrained; equality columns lead an index, one range or prefix column may follow. */
    enum Use { EQUALITY, RANGE, PREFIX }

    /** One column to index. */
    record Column(String name, Use use) {
    }

    /**
     * The columns found, equality ones first, at most {@link #MAX_COLUMNS}; or none and the reason.
     *
     * @param columns the columns, in index order
     * @param problem why {@code columns} is empty, else {@code null}
     */
    record Result(List<Column> columns, String problem) {
    }

    /** A B-tree index rarely profits from more columns than this for one filter. */
    static final int MAX_COLUMNS = 3;

    private static final Set<String> TEXT_TYPES = Set.of("text", "varchar", "character", "bpchar", "name", "char");
    private static final Set<String> COMPARISONS = Set.of("=", "<", ">", "<=", ">=", "<>", "!=", "<=>", "~~",
            "!~~", "~~*", "!~~*");
    private static final Set<String> ARITHMETIC = Set.of("+", "-", "*", "/", "%", "||");
    private static final Set<String> VALUE_WORDS = Set.of("NULL", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
            "LOCALTIME", "LOCALTIMESTAMP", "CURRENT_USER", "DEFAULT");
    // Words before a string that stands apart from them; a prefix written against its quote (N'x', _utf8mb4'x')
    // is part of the string's own token.
    private static final Set<String> TYPED_LITERALS = Set.of("DATE", "TIME", "TIMESTAMP", "INTERVAL", "N", "X", "B",
            "E");
    private static final Set<String> TYPE_WORDS = Set.of("varying", "precision", "without", "with", "time", "zone",
            "unsigned", "signed");
    private static final Set<String> INTERVAL_UNITS = Set.of("YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND",
            "WEEK", "QUARTER");

    private static final String NO_TERM = "no column compared with a constant by =, IN, <, >, BETWEEN,"
            + " LIKE 'prefix%' or IS NULL";

    /** Thrown inside the reader for text it does not follow; the term it was reading is then unusable. */
    private static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable() {
            super(null, null, false, false);
        }
    }

    // Parse results: a value, a column of our table, something else, or a boolean term's columns.
    private sealed interface Node permits Value, Col, Other, Term {
    }

    private record Value(String literal) implements Node {
    }

    private record Col(String name) implements Node {
    }

    private record Other() implements Node {
    }

    /** A boolean term: the columns it constrains; {@code orProblem} set when it is an unusable OR. */
    private record Term(List<Column> columns, String orProblem) implements Node {
    }

    private static final Other OTHER = new Other();
    private static final Term NOTHING = new Term(List.of(), null);

    private final List<Token> tokens;
    private final String table;
    private final String alias;
    private int pos;

    private FilterColumns(List<Token> tokens, String table, String alias) {
        this.tokens = tokens;
        this.table = table;
        this.alias = alias;
    }

    /**
     * The columns of {@code table} (known in the filter as {@code alias} or its own name) that an index could
     * serve for {@code filter}.
     *
     * @param backslashEscapes true for MySQL and MariaDB filters
     */
    static Result extract(String filter, String table, String alias, boolean backslashEscapes) {
        if (filter == null || filter.isBlank()) {
            return new Result(List.of(), "no filter");
        }
        List<Token> tokens = SqlLexer.lexAsWritten(filter, backslashEscapes).withoutComments();
        List<Column> found = new ArrayList<>();
        String orProblem = null;
        for (List<Token> conjunct : conjuncts(unwrap(tokens))) {
            Term term = new FilterColumns(conjunct, table, alias).readConjunct();
            found.addAll(term.columns());
            if (term.orProblem() != null) {
                orProblem = term.orProblem();
            }
        }
        List<Column> ordered = order(found);
        if (ordered.isEmpty()) {
            return new Result(List.of(), orProblem != null ? orProblem : NO_TERM);
        }
        return new Result(ordered, null);
    }

    /** Equality columns in order of appearance, then the first range or prefix column; no repeats. */
    private static List<Column> order(List<Column> found) {
        Map<String, Column> byName = new LinkedHashMap<>();
        for (Column c : found) {
            String key = c.name().toLowerCase(Locale.ROOT);
            Column old = byName.get(key);
            if (old == null || (c.use() == Use.EQUALITY && old.use() != Use.EQUALITY)) {
                byName.put(key, c);
            }
        }
        List<Column> out = new ArrayList<>();
        byName.values().stream().filter(c -> c.use() == Use.EQUALITY).forEach(out::add);
        byName.values().stream().filter(c -> c.use() != Use.EQUALITY).findFirst().ifPresent(out::add);
        return List.copyOf(out.subList(0, Math.min(MAX_COLUMNS, out.size())));
    }

    /** Drops parentheses around the whole text: PostgreSQL wraps every filter in them. */
    private static List<Token> unwrap(List<Token> tokens) {
        while (tokens.size() >= 2 && tokens.get(0).isSymbol("(")
                && matching(tokens, 0) == tokens.size() - 1) {
            tokens = tokens.subList(1, tokens.size() - 1);
        }
        return tokens;
    }

    private static int matching(List<Token> tokens, int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            if (tokens.get(i).isSymbol("(")) {
                depth++;
            } else if (tokens.get(i).isSymbol(")") && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Splits at the top-level ANDs (not the AND of a BETWEEN), so one unreadable term spoils only itself. */
    private static List<List<Token>> conjuncts(List<Token> tokens) {
        List<List<Token>> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        int pendingBetween = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && t.isWord("BETWEEN")) {
                pendingBetween++;
            } else if (depth == 0 && (t.isWord("AND") || t.isSymbol("&&"))) {
                if (pendingBetween > 0) {
                    pendingBetween--;
                } else {
                    out.add(tokens.subList(start, i));
                    start = i + 1;
                }
            }
        }
        out.add(tokens.subList(start, tokens.size()));
        return out;
    }

    private Term readConjunct() {
        try {
            Node node = or();
            return pos == tokens.size() && node instanceof Term term ? term : NOTHING;
        } catch (Unreadable | RuntimeException e) {
            return NOTHING;
        }
    }

    private Node or() throws Unreadable {
        Node first = and();
        if (!peek().isWord("OR")) {
            return first;
        }
        List<Node> branches = new ArrayList<>(List.of(first));
        while (peek().isWord("OR")) {
            pos++;
            branches.add(and());
        }
        // An OR helps an index only when each branch pins the same single column (an IN written out).
        String name = null;
        Use use = Use.EQUALITY;
        for (Node b : branches) {
            if (!(b instanceof Term t) || t.columns().size() != 1
                    || (name != null && !name.equalsIgnoreCase(t.columns().get(0).name()))) {
                return new Term(List.of(), "OR across different columns or terms: one index cannot serve it");
            }
            name = t.columns().get(0).name();
            if (t.columns().get(0).use() != Use.EQUALITY) {
                use = Use.RANGE;
            }
        }
        return new Term(List.of(new Column(name, use)), null);
    }

    private Node and() throws Unreadable {
        Node first = not();
        if (!peek().isWord("AND")) {
            return first;
        }
        List<Column> columns = new ArrayList<>(first instanceof Term t ? t.columns() : List.of());
        while (peek().isWord("AND")) {
            pos++;
            if (not() instanceof Term t) {
                columns.addAll(t.columns());
            }
        }
        return new Term(columns, null);
    }

    private Node not() throws Unreadable {
        if (peek().isWord("NOT") || peek().isSymbol("!")) {
            pos++;
            not();
            return NOTHING; // a negation selects most rows: no index term
        }
        return predicate();
    }

    private Node predicate() throws Unreadable {
        Node left = operand();
        Token t = peek();
        String op = comparison();
        if (op != null) {
            Node right;
            if ((peek().isWord("ANY") || peek().isWord("SOME") || peek().isWord("ALL")) && peek(1).isSymbol("(")) {
                boolean any = !peek().isWord("ALL");
                pos++;
                right = operand();
                return op.equals("=") && any ? single(left, right, Use.EQUALITY) : NOTHING;
            }
            right = operand();
            return comparison(left, op, right);
        }
        boolean negated = false;
        if (t.isWord("NOT")) {
            negated = true;
            pos++;
            t = peek();
        }
        if (t.isWord("IN")) {
            pos++;
            boolean values = inList();
            return values && !negated ? single(left, new Value(null), Use.EQUALITY) : NOTHING;
        }
        if (t.isWord("BETWEEN")) {
            pos++;
            Node low = operand();
            expectWord("AND");
            Node high = operand();
            return !negated && low instanceof Value && high instanceof Value ? single(left, low, Use.RANGE) : NOTHING;
        }
        if (t.isWord("LIKE") || t.isWord("ILIKE")) {
            pos++;
            Node pattern = operand();
            if (peek().isWord("ESCAPE")) {
                pos++;
                operand();
            }
            return !negated && t.isWord("LIKE") ? like(left, pattern) : NOTHING;
        }
        if (negated) {
            throw new Unreadable();
        }
        if (t.isWord("IS")) {
            pos++;
            boolean isNot = false;
            if (peek().isWord("NOT")) {
                isNot = true;
                pos++;
            }
            if (peek().isWord("NULL")) {
                pos++;
                return isNot ? NOTHING : single(left, new Value(null), Use.EQUALITY);
            }
            throw new Unreadable();
        }
        return left; // a bare operand: a parenthesised column before its cast, or a boolean column (no term)
    }

    /**
     * The comparison operator at the cursor, moved past, or {@code null}. The lexer reads PostgreSQL's
     * {@code ~~*}, {@code !~~} and {@code !~~*} as two operators written together: they are joined again.
     */
    private String comparison() {
        Token t = peek();
        if (t.kind() != Kind.SYMBOL) {
            return null;
        }
        Token second = peek(1);
        String joined = t.text() + second.text();
        if (second.kind() == Kind.SYMBOL && second.start() == t.end() && COMPARISONS.contains(joined)) {
            pos += 2;
            return joined;
        }
        if (COMPARISONS.contains(t.text())) {
            pos++;
            return t.text();
        }
        return null;
    }

    private Node comparison(Node left, String op, Node right) {
        Use use = switch (op) {
            case "=", "<=>" -> Use.EQUALITY;
            case "<", ">", "<=", ">=" -> Use.RANGE;
            case "~~" -> Use.PREFIX; // PostgreSQL prints LIKE as ~~
            default -> null;
        };
        if (use == null) {
            return NOTHING;
        }
        if (use == Use.PREFIX) {
            return like(left, right);
        }
        return single(left, right, use);
    }

    private Node like(Node left, Node pattern) {
        if (pattern instanceof Value v && v.literal() != null && !v.literal().isEmpty()
                && v.literal().charAt(0) != '%' && v.literal().charAt(0) != '_') {
            return single(left, pattern, Use.PREFIX);
        }
        return NOTHING;
    }

    /** A term on one column of ours compared with a value, from either side. */
    private static Node single(Node a, Node b, Use use) {
        if (a instanceof Col c && b instanceof Value) {
            return new Term(List.of(new Column(c.name(), use)), null);
        }
        if (b instanceof Col c && a instanceof Value) {
            return new Term(List.of(new Column(c.name(), use)), null);
        }
        return NOTHING;
    }

    /** Reads {@code (v, v, ...)}; true when every element is a value (false for a subquery). */
    private boolean inList() throws Unreadable {
        expect("(");
        if (peek().isWord("SELECT")) {
            throw new Unreadable();
        }
        boolean values = true;
        do {
            values &= operand() instanceof Value;
        } while (accept(","));
        expect(")");
        return values;
    }

    /** An operand with its postfix casts, collations and arithmetic. */
    private Node operand() throws Unreadable {
        Node node = primary();
        while (true) {
            if (peek().isSymbol("::")) {
                pos++;
                String type = type();
                if (node instanceof Col && !TEXT_TYPES.contains(type)) {
                    node = OTHER; // a real conversion: an index on the bare column does not serve it
                }
            } else if (peek().isWord("COLLATE")) {
                pos += 2;
            } else if (peek().kind() == Kind.SYMBOL && ARITHMETIC.contains(peek().text())) {
                pos++;
                Node right = primary();
                node = node instanceof Value && right instanceof Value ? new Value(null) : OTHER;
            } else {
                return node;
            }
        }
    }

    private Node primary() throws Unreadable {
        Token t = next();
        switch (t.kind()) {
            case STRING:
                return new Value(stringContent(t));
            case NUMBER:
            case BOOLEAN:
            case BIND:
                return new Value(null);
            case SYMBOL:
                if (t.text().equals("(")) {
                    if (peek().isWord("SELECT")) {
                        throw new Unreadable();
                    }
                    Node inner = or();
                    expect(")");
                    return inner;
                }
                if (t.text().equals("-") || t.text().equals("+")) {
                    return primary() instanceof Value ? new Value(null) : OTHER;
                }
                throw new Unreadable();
            case WORD:
            case QUOTED:
                return word(t);
            default:
                throw new Unreadable();
        }
    }

    private Node word(Token t) throws Unreadable {
        String upper = t.upper();
        if (t.kind() == Kind.WORD) {
            if (upper.startsWith("@")) {
                throw new Unreadable(); // a MySQL variable, not a column
            }
            if (VALUE_WORDS.contains(upper)) {
                return new Value(null);
            }
            if ((TYPED_LITERALS.contains(upper) || upper.startsWith("_")) && peek().kind() == Kind.STRING) {
                Token literal = next(); // DATE '2024-01-01', _utf8mb4 'x'
                if (upper.equals("INTERVAL") && INTERVAL_UNITS.contains(peek().upper())) {
                    pos++;
                }
                return new Value(upper.startsWith("_") || upper.equals("N") ? stringContent(literal) : null);
            }
            if (upper.equals("CAST") && peek().isSymbol("(")) {
                pos++;
                Node inner = operand();
                expectWord("AS");
                String type = type();
                expect(")");
                return inner instanceof Value || (inner instanceof Col && TEXT_TYPES.contains(type)) ? inner : OTHER;
            }
            if (upper.equals("ARRAY") && peek().isSymbol("[")) {
                pos++;
                boolean values = true;
                do {
                    values &= operand() instanceof Value;
                } while (accept(","));
                if (!next().isSymbol("]")) {
                    throw new Unreadable();
                }
                return values ? new Value(null) : OTHER;
            }
            if (Set.of("CASE", "EXISTS", "SELECT", "NOT", "AND", "OR", "IS", "IN").contains(upper)) {
                throw new Unreadable();
            }
        }
        List<String> parts = new ArrayList<>(List.of(t.value()));
        while (peek().isSymbol(".") && peek(1).isName()) {
            pos++;
            parts.add(next().value());
        }
        if (peek().isSymbol("(")) {
            pos++;
            boolean values = true;
            if (!accept(")")) {
                do {
                    values &= operand() instanceof Value;
                } while (accept(","));
                expect(")");
            }
            return values ? new Value(null) : OTHER; // now(), lower('X'); lower(col) is not the bare column
        }
        String qualifier = parts.size() > 1 ? parts.get(parts.size() - 2) : null;
        if (qualifier != null && !qualifier.equalsIgnoreCase(table)
                && !(alias != null && qualifier.equalsIgnoreCase(alias))) {
            return OTHER; // another table's column: a join condition, not something our index serves alone
        }
        return new Col(parts.get(parts.size() - 1));
    }

    /** Reads a type name after {@code ::} or {@code AS}: words, size, array brackets; returns its first word. */
    private String type() throws Unreadable {
        Token first = next();
        if (!first.isName()) {
            throw new Unreadable();
        }
        String name = first.value().toLowerCase(Locale.ROOT);
        while (peek().isSymbol(".") && peek(1).isName()) {
            pos++;
            name = next().value().toLowerCase(Locale.ROOT);
        }
        while (peek().kind() == Kind.WORD && TYPE_WORDS.contains(peek().text().toLowerCase(Locale.ROOT))) {
            pos++;
        }
        if (peek().isSymbol("(")) {
            int close = matching(tokens, pos);
            if (close < 0) {
                throw new Unreadable();
            }
            pos = close + 1;
        }
        while (peek().isSymbol("[") && peek(1).isSymbol("]")) {
            pos += 2;
        }
        return name;
    }

    /**
     * What a plain, {@code N} or character-set prefixed string literal says; {@code null} for one that needs
     * decoding first ({@code E'..'}, {@code X'..'}, {@code B'..'}, {@code U&'..'}, {@code $$..$$}).
     */
    private static String stringContent(Token literal) {
        String text = literal.text();
        int open = text.indexOf('\'');
        char first = text.charAt(0);
        if (open < 0 || (open > 0 && first != '_' && !(open == 1 && (first == 'N' || first == 'n')))) {
            return null;
        }
        String inner = text.length() >= open + 2 ? text.substring(open + 1, text.length() - 1) : "";
        return inner.replace("''", "'");
    }

    private Token peek() {
        return peek(0);
    }

    private Token peek(int ahead) {
        int i = pos + ahead;
        return i < tokens.size() ? tokens.get(i) : new Token(Kind.SYMBOL, "", 0);
    }

    private Token next() throws Unreadable {
        if (pos >= tokens.size()) {
            throw new Unreadable();
        }
        return tokens.get(pos++);
    }

    private boolean accept(String symbol) {
        if (peek().isSymbol(symbol)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String symbol) throws Unreadable {
        if (!accept(symbol)) {
            throw new Unreadable();
        }
    }

    private void expectWord(String word) throws Unreadable {
        if (!peek().isWord(word)) {
            throw new Unreadable();
        }
        pos++;
    }
}
