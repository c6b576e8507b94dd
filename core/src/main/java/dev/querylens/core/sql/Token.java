package dev.querylens.core.sql;

import java.util.Locale;
import java.util.Set;

/**
 * One lexical unit of SQL text, as {@link SqlLexer} reads it.
 *
 * @param kind  what the text is
 * @param text  the text as written; the fingerprinter's lexing lowercases {@link Kind#WORD} and
 *              {@link Kind#BOOLEAN} and writes every numbered {@code ?} marker as {@code ?}
 * @param start offset of the token in the SQL text
 */
public record Token(Kind kind, String text, int start) {

    /** What a token is. */
    public enum Kind {
        /** Keyword or unquoted identifier. */
        WORD,
        /** Quoted identifier ({@code "x"}, {@code `x`}, {@code [x]}), quotes included. */
        QUOTED,
        /** String literal, quotes and prefix ({@code E'..'}, {@code _utf8mb4'..'}, {@code $$..$$}) included. */
        STRING,
        /** Numeric literal, a folded unary minus included. */
        NUMBER,
        /** {@code TRUE} or {@code FALSE}. */
        BOOLEAN,
        /** Bind marker: {@code ?} or {@code $n}. */
        BIND,
        /** Operator or punctuation. */
        SYMBOL,
        /** Comment, markers included; only when lexed {@linkplain SqlLexer#lexAsWritten as written}. */
        COMMENT
    }

    /*
     * Words that act as keywords rather than names: a minus after one of them is a sign, and a parenthesis after
     * one of them opens a list or subquery rather than a call. Function names are deliberately absent.
     */
    static final Set<String> KEYWORDS = Set.of(
            "select", "from", "where", "and", "or", "not", "in", "is", "like", "ilike", "between", "exists",
            "any", "all", "some", "values", "set", "when", "then", "else", "case", "on", "using", "as", "by",
            "having", "limit", "offset", "top", "fetch", "first", "next", "returning", "return", "union",
            "intersect", "except", "join", "with", "recursive", "over", "filter", "within", "into", "distinct",
            "conflict", "lateral", "materialized", "escape", "key", "do", "insert");

    /** Offset just past the token; exact for tokens lexed {@linkplain SqlLexer#lexAsWritten as written}. */
    public int end() {
        return start + text.length();
    }

    /** The name a quoted identifier stands for, a comment's content without its markers, else the text. */
    public String value() {
        return switch (kind) {
            case QUOTED -> unquoted();
            case COMMENT -> commentContent();
            default -> text;
        };
    }

    /** True for an unquoted word equal to {@code word}, ignoring case. */
    public boolean isWord(String word) {
        return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }

    public boolean isSymbol(String symbol) {
        return kind == Kind.SYMBOL && text.equals(symbol);
    }

    /** A name: an unquoted word or a quoted identifier. */
    public boolean isName() {
        return kind == Kind.WORD || kind == Kind.QUOTED;
    }

    public boolean isLiteral() {
        return kind == Kind.STRING || kind == Kind.NUMBER || kind == Kind.BOOLEAN;
    }

    /** The text in upper case, for looking words up in sets of keywords. */
    public String upper() {
        return text.toUpperCase(Locale.ROOT);
    }

    boolean is(Kind k, String s) {
        return kind == k && text.equals(s);
    }

    boolean isValue() {
        return isLiteral() || kind == Kind.BIND;
    }

    /** For the fingerprinter's lowercased words. */
    boolean isKeyword() {
        return kind == Kind.WORD && KEYWORDS.contains(text);
    }

    /** The token as it appears in normalized text. */
    String rendered() {
        return isValue() ? "?" : text;
    }

    private String unquoted() {
        char open = text.charAt(0);
        String close = open == '[' ? "]" : String.valueOf(open);
        boolean closed = text.length() >= 2 && text.endsWith(close);
        return text.substring(1, closed ? text.length() - 1 : text.length()).replace(close + close, close);
    }

    private String commentContent() {
        if (!text.startsWith("/*")) {
            return text.substring(text.startsWith("#") ? 1 : 2).strip();
        }
        int end = text.length() >= 4 && text.endsWith("*/") ? text.length() - 2 : text.length();
        return text.substring(2, end).strip();
    }
}
