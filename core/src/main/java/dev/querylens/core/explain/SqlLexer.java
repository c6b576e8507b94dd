package dev.querylens.core.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL-like text (statements, plan filters, H2 plans) into tokens. It never fails: text it does not know
 * becomes {@link Kind#SYMBOL} tokens, an unterminated string or comment runs to the end of the text (callers that
 * need certainty ask {@link #terminated}).
 */
final class SqlLexer {

    /** Token kinds; only what the explain readers tell apart. */
    enum Kind { WORD, QUOTED, STRING, NUMBER, BIND, COMMENT, LPAREN, RPAREN, COMMA, DOT, SEMICOLON, SYMBOL }

    /**
     * One token. {@code text} is the source text; for {@link Kind#QUOTED} and {@link Kind#COMMENT}
     * {@link #value()} is the content without quotes or comment markers.
     */
    record Token(Kind kind, String text, int start, int end) {
        String value() {
            return switch (kind) {
                case QUOTED -> unquote(text);
                case COMMENT -> commentContent(text);
                default -> text;
            };
        }

        /** True for an unquoted word equal, ignoring case, to {@code keyword}. */
        boolean is(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        /** A name: an unquoted word or a quoted identifier. */
        boolean isIdentifier() {
            return kind == Kind.WORD || kind == Kind.QUOTED;
        }

        String upper() {
            return text.toUpperCase(Locale.ROOT);
        }
    }

    private static final String[] OPERATORS = {
        "::", "<=>", "<>", "!=", "<=", ">=", "!~~*", "!~~", "~~*", "~~", "||", "->>", "->", "=>", ":="
    };

    private final String text;
    private final boolean backslashEscapes;
    private final boolean nestedComments;
    private boolean unterminated;

    private SqlLexer(String text, boolean backslashEscapes, boolean nestedComments) {
        this.text = text;
        this.backslashEscapes = backslashEscapes;
        this.nestedComments = nestedComments;
    }

    /**
     * Tokens of {@code text}, comments included.
     *
     * @param backslashEscapes true for MySQL and MariaDB, where {@code \'} escapes a quote inside a string
     * @param nestedComments   true for PostgreSQL and H2, where block comments nest (H2 prints nested plans so)
     */
    static List<Token> tokenize(String text, boolean backslashEscapes, boolean nestedComments) {
        return new SqlLexer(text, backslashEscapes, nestedComments).run();
    }

    /** Tokens with the default rules of PostgreSQL, H2 and the SQL standard. */
    static List<Token> tokenize(String text) {
        return tokenize(text, false, true);
    }

    /** The same list without comments. */
    static List<Token> withoutComments(List<Token> tokens) {
        List<Token> out = new ArrayList<>(tokens.size());
        for (Token t : tokens) {
            if (t.kind() != Kind.COMMENT) {
                out.add(t);
            }
        }
        return out;
    }

    /** Strips one level of {@code "..."}, {@code `...`} or {@code [...]} quoting, undoubling inner quotes. */
    static String unquote(String quoted) {
        if (quoted.length() >= 2) {
            char q = quoted.charAt(0);
            char close = q == '[' ? ']' : q;
            if ((q == '"' || q == '`' || q == '[') && quoted.charAt(quoted.length() - 1) == close) {
                String inner = quoted.substring(1, quoted.length() - 1);
                return q == '[' ? inner : inner.replace("" + q + q, "" + q);
            }
        }
        return quoted;
    }

    /** False when {@code text} ends inside a string, quoted name or block comment. */
    static boolean terminated(String text, boolean backslashEscapes) {
        SqlLexer lexer = new SqlLexer(text, backslashEscapes, !backslashEscapes);
        lexer.run();
        return !lexer.unterminated;
    }

    private static String commentContent(String comment) {
        if (!comment.startsWith("/*")) {
            return comment.substring(comment.startsWith("#") ? 1 : 2).strip();
        }
        int end = comment.length() >= 4 && comment.endsWith("*/") ? comment.length() - 2 : comment.length();
        return comment.substring(2, end).strip();
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            Kind kind;
            if (c == '\'') {
                i = skipQuoted(i, '\'', backslashEscapes);
                kind = Kind.STRING;
            } else if (c == '"' || c == '`') {
                i = skipQuoted(i, c, false);
                kind = Kind.QUOTED;
            } else if (c == '/' && peek(i + 1) == '*') {
                i = skipBlockComment(i);
                kind = Kind.COMMENT;
            } else if ((c == '-' && peek(i + 1) == '-') || (c == '#' && backslashEscapes)) {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
                kind = Kind.COMMENT;
            } else if (Character.isDigit(c) || (c == '.' && Character.isDigit(peek(i + 1)))) {
                i = skipNumber(i);
                kind = Kind.NUMBER;
            } else if (c == '?' || (c == '$' && Character.isDigit(peek(i + 1)))) {
                i++;
                while (i < n && Character.isDigit(text.charAt(i))) {
                    i++;
                }
                kind = Kind.BIND;
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                        || text.charAt(i) == '$')) {
                    i++;
                }
                kind = Kind.WORD;
            } else if (c == '(') {
                i++;
                kind = Kind.LPAREN;
            } else if (c == ')') {
                i++;
                kind = Kind.RPAREN;
            } else if (c == ',') {
                i++;
                kind = Kind.COMMA;
            } else if (c == '.') {
                i++;
                kind = Kind.DOT;
            } else if (c == ';') {
                i++;
                kind = Kind.SEMICOLON;
            } else {
                i = start + operatorLength(start);
                kind = Kind.SYMBOL;
            }
            out.add(new Token(kind, text.substring(start, i), start, i));
        }
        return out;
    }

    private char peek(int i) {
        return i < text.length() ? text.charAt(i) : '\0';
    }

    private int operatorLength(int i) {
        for (String op : OPERATORS) {
            if (text.startsWith(op, i)) {
                return op.length();
            }
        }
        return 1;
    }

    private int skipQuoted(int i, char quote, boolean backslash) {
        int n = text.length();
        i++;
        while (i < n) {
            char c = text.charAt(i);
            if (backslash && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (peek(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        unterminated = true;
        return n;
    }

    private int skipBlockComment(int i) {
        int n = text.length();
        int depth = 0;
        while (i < n) {
            if (text.startsWith("/*", i) && (depth == 0 || nestedComments)) {
                depth++;
                i += 2;
            } else if (text.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        unterminated = true;
        return n;
    }

    private int skipNumber(int i) {
        int n = text.length();
        while (i < n && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
            i++;
        }
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && (text.charAt(j) == '+' || text.charAt(j) == '-')) {
                j++;
            }
            if (j < n && Character.isDigit(text.charAt(j))) {
                i = j;
                while (i < n && Character.isDigit(text.charAt(i))) {
                    i++;
                }
            }
        }
        return i;
    }
}
