package dev.querylens.core.sql;

import java.util.Set;

/**
 * One lexical unit of SQL text.
 *
 * @param kind what the text is
 * @param text the text: lowercased for {@link Kind#WORD}, as written otherwise
 * @param pos  offset of the token in the SQL text, for problem messages
 */
record Token(Kind kind, String text, int pos) {

    enum Kind {
        /** Keyword or unquoted identifier. */
        WORD,
        /** Quoted identifier ({@code "x"}, {@code `x`}, {@code [x]}), quotes included. */
        QUOTED,
        /** Literal value, quotes and a folded unary minus included. */
        LITERAL,
        /** Bind marker: {@code ?} or {@code $n}. */
        BIND,
        /** Operator or punctuation. */
        SYMBOL
    }

    /*
     * Words that act as keywords rather than names: a minus after one of them is a sign, and a parenthesis after
     * one of them opens a list or subquery rather than a call. Function names are deliberately absent.
     */
    private static final Set<String> KEYWORDS = Set.of(
            "select", "from", "where", "and", "or", "not", "in", "is", "like", "ilike", "between", "exists",
            "any", "all", "some", "values", "set", "when", "then", "else", "case", "on", "using", "as", "by",
            "having", "limit", "offset", "top", "fetch", "first", "next", "returning", "return", "union",
            "intersect", "except", "join", "with", "recursive", "over", "filter", "within", "into", "distinct",
            "conflict", "lateral", "materialized", "escape", "key", "do", "insert");

    boolean is(Kind k, String s) {
        return kind == k && text.equals(s);
    }

    boolean isValue() {
        return kind == Kind.LITERAL || kind == Kind.BIND;
    }

    boolean isName() {
        return kind == Kind.WORD || kind == Kind.QUOTED;
    }

    boolean isKeyword() {
        return kind == Kind.WORD && KEYWORDS.contains(text);
    }

    /** The token as it appears in normalized text. */
    String rendered() {
        return isValue() ? "?" : text;
    }
}
