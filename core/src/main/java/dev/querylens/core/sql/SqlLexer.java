package dev.querylens.core.sql;

import dev.querylens.core.sql.Token.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL text into tokens in one forward pass over its characters. It knows the quoting and comment rules of
 * standard SQL, PostgreSQL, MySQL/MariaDB, H2 and SQL Server brackets well enough to find where literals,
 * identifiers and comments end; it does not validate anything else. The fingerprinter reads text of any database
 * ({@link #lex(String)}); the EXPLAIN readers read text of a known one and need it back as written
 * ({@link #lexAsWritten}). Both get the same token boundaries for the same rules.
 *
 * <p>Known limits, each a choice between dialects that spell the same characters differently:
 * {@code "x"} is always an identifier, so MySQL double-quoted strings stay in the text as written;
 * {@code #} is an operator (PostgreSQL) unless MySQL rules are asked for; {@code --} always starts a comment, even
 * without the space MySQL requires; {@code ?|} and {@code ?&} are jsonb operators, never a marker followed by
 * bitwise or/and; {@code [} opens a SQL Server identifier unless it follows a name, a bracket or {@code ARRAY};
 * Oracle {@code q'[...]'} quoting and PostgreSQL {@code U&"..."} identifiers are not recognised.
 */
public final class SqlLexer {

    /**
     * The tokens of a text.
     *
     * @param tokens     the tokens
     * @param problem    the first thing that could not be read cleanly, or {@code null}
     * @param terminated false when the text ends inside a string, quoted identifier or comment
     */
    public record Result(List<Token> tokens, String problem, boolean terminated) {

        /** The tokens other than comments. */
        public List<Token> withoutComments() {
            List<Token> kept = new ArrayList<>(tokens.size());
            for (Token t : tokens) {
                if (t.kind() != Kind.COMMENT) {
                    kept.add(t);
                }
            }
            return kept;
        }
    }

    // Checked in order, so longer operators come before their prefixes.
    private static final String[] OPERATORS = {
        "??|", "??&", "->>", "#>>", "<=>", "!~*",
        "??", "?|", "?&", "::", "->", "#>", "#-", "@>", "<@", "||", "<>", "!=", ">=", "<=", ":=", "=>",
        "~*", "!~", "&&", "<<", ">>", "@@", "~~"
    };
    // The first characters of OPERATORS: any other symbol skips the search.
    private static final String OPERATOR_STARTS = "?-#<!:@|>=~&";
    private static final String SINGLE_SYMBOLS = "()[]{},.;+-*/%=<>!~@#&|^:?";
    // One shared string per single-character symbol: the common tokens cost no allocation of their own.
    private static final String[] SYMBOL_TEXT = new String[128];
    // Real tags are short; the bound keeps the search for the closing tag linear.
    private static final int MAX_DOLLAR_TAG = 32;

    static {
        for (char c : SINGLE_SYMBOLS.toCharArray()) {
            SYMBOL_TEXT[c] = String.valueOf(c);
        }
    }

    private final String s;
    private final int n;
    private final boolean backslashEscapes;
    // As written: text kept as written, comments kept as tokens, and the dialect given rather than guessed.
    private final boolean asWritten;
    // Given, not guessed: # starts a comment and block comments do not nest.
    private final boolean mysqlComments;
    private final List<Token> out = new ArrayList<>();
    // The last token other than a comment.
    private Token last;
    private boolean nestedComments;
    private boolean escapedQuoteSeen;
    private boolean unterminated;
    private String problem;
    private int i;

    private SqlLexer(String sql, boolean backslashEscapes, boolean asWritten) {
        this.s = sql;
        this.n = sql.length();
        this.backslashEscapes = backslashEscapes;
        this.asWritten = asWritten;
        this.mysqlComments = asWritten && backslashEscapes;
        this.nestedComments = !mysqlComments;
    }

    /**
     * Tokenizes {@code sql} of any database for the fingerprinter: comments are dropped, words and booleans
     * lowercased, numbered {@code ?} markers written {@code ?}. A backslash escapes a quote in {@code '...'}
     * (MySQL) unless that leaves a string unterminated, in which case the text is read once more the standard way
     * ({@code 'C:\'} is a whole string in PostgreSQL). So the text is read at most twice.
     */
    static Result lex(String sql) {
        SqlLexer mysqlStyle = new SqlLexer(sql, true, false).run();
        if (mysqlStyle.problem == null || !mysqlStyle.escapedQuoteSeen) {
            return mysqlStyle.result();
        }
        SqlLexer standard = new SqlLexer(sql, false, false).run();
        return (standard.problem == null ? standard : mysqlStyle).result();
    }

    /**
     * Tokenizes {@code sql} of a known dialect, keeping what {@link #lex(String)} normalizes away: comments are
     * {@link Kind#COMMENT} tokens, every token's text is as written (so {@link Token#end()} is exact) and nothing
     * is guessed. MySQL rules ({@code mysql}, also MariaDB's) make a backslash escape a quote, {@code #} start a
     * comment and a block comment end at its first closer; otherwise block comments nest, as in PostgreSQL and
     * H2 (whose plans print nested ones).
     */
    public static Result lexAsWritten(String sql, boolean mysql) {
        return new SqlLexer(sql, mysql, true).run().result();
    }

    private Result result() {
        return new Result(out, problem, !unterminated);
    }

    private SqlLexer run() {
        while (i < n) {
            char c = s.charAt(i);
            if (isSpace(c)) {
                i++;
            } else if (c == '-' && peek(1) == '-') {
                lineComment();
            } else if (c == '/' && peek(1) == '*') {
                blockComment();
            } else if (c == '\'') {
                string(i, i + 1, backslashEscapes);
            } else if (c == '"' || c == '`') {
                quotedIdentifier(c);
            } else if (c == '[') {
                bracket();
            } else if (c == '$') {
                dollar();
            } else if (c == '?') {
                question();
            } else if (isDigit(c) || (c == '.' && isDigit(peek(1)) && !afterName())) {
                number(i);
            } else if (c == '-' && (isDigit(peek(1)) || (peek(1) == '.' && isDigit(peek(2)))) && signContext()) {
                int start = i++;
                number(start);
            } else if (isIdentifierStart(c)) {
                word();
            } else if (c == '@' && (isIdentifierStart(peek(1)) || (peek(1) == '@' && isIdentifierStart(peek(2))))) {
                variable();
            } else if (c == '#' && mysqlComments) {
                lineComment();
            } else {
                symbol();
            }
        }
        return this;
    }

    private void lineComment() {
        int start = i;
        while (i < n && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
            i++;
        }
        comment(start);
    }

    /**
     * PostgreSQL and the standard nest block comments, MySQL does not. Read nested first; if that runs off the end
     * but a closer was seen, the text is MySQL's: end the comment at its first closer and stop nesting for the rest
     * of the text, which keeps the rescan to once per text. Text read as written has its dialect given: no guess.
     */
    private void blockComment() {
        int start = i;
        int depth = 1;
        int firstClose = -1;
        i += 2;
        while (i < n) {
            if (s.startsWith("*/", i)) {
                i += 2;
                if (firstClose < 0) {
                    firstClose = i;
                }
                if (--depth == 0) {
                    comment(start);
                    return;
                }
            } else if (nestedComments && s.startsWith("/*", i)) {
                i += 2;
                depth++;
            } else {
                i++;
            }
        }
        if (firstClose >= 0 && !asWritten) {
            nestedComments = false;
            i = firstClose;
        } else {
            unterminated("comment", start);
            comment(start);
        }
    }

    private void comment(int start) {
        if (asWritten) {
            out.add(new Token(Kind.COMMENT, s.substring(start, i), start));
        }
    }

    /** A string literal starting at {@code start} (prefix included) whose body starts at {@code body}. */
    private void string(int start, int body, boolean backslash) {
        i = body;
        if (!closeQuote('\'', backslash)) {
            unterminated("string literal", start);
        }
        add(Kind.STRING, s.substring(start, i), start);
    }

    private void quotedIdentifier(char quote) {
        int start = i++;
        if (!closeQuote(quote, false)) {
            unterminated("quoted identifier", start);
        }
        add(Kind.QUOTED, s.substring(start, i), start);
    }

    /** Moves past the closing quote, a doubled quote being an escaped one; false when the text ends first. */
    private boolean closeQuote(char quote, boolean backslash) {
        while (i < n) {
            char c = s.charAt(i++);
            if (c == '\\' && backslash && i < n) {
                escapedQuoteSeen |= s.charAt(i) == quote;
                i++;
            } else if (c == quote) {
                if (i < n && s.charAt(i) == quote) {
                    i++;
                } else {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code [} is an array subscript or constructor after a name, a closing bracket or {@code ARRAY}, and a SQL
     * Server quoted identifier elsewhere. An identifier holds no {@code [} or {@code ,}; stopping the scan at them
     * keeps it linear and sends {@code [1, 2]} back to being symbols.
     */
    private void bracket() {
        int start = i;
        if (!subscriptContext()) {
            int j = i + 1;
            while (j < n && s.charAt(j) != '[' && s.charAt(j) != ',') {
                if (s.charAt(j) == ']') {
                    if (j + 1 < n && s.charAt(j + 1) == ']') {
                        j += 2;
                        continue;
                    }
                    i = j + 1;
                    add(Kind.QUOTED, s.substring(start, i), start);
                    return;
                }
                j++;
            }
        }
        i++;
        add(Kind.SYMBOL, "[", start);
    }

    private boolean subscriptContext() {
        if (i > 0) {
            char before = s.charAt(i - 1);
            if (isIdentifierPart(before) || before == ')' || before == ']' || before == '"') {
                return true;
            }
        }
        return last != null && last.isWord("array");
    }

    /** {@code $1} bind marker, {@code $$...$$} or {@code $tag$...$tag$} string, or a lone symbol. */
    private void dollar() {
        int start = i;
        if (isDigit(peek(1))) {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            add(Kind.BIND, s.substring(start, i), start);
            return;
        }
        int j = i + 1;
        while (j < n && j - i <= MAX_DOLLAR_TAG && isTagChar(s.charAt(j), j == i + 1)) {
            j++;
        }
        if (j >= n || s.charAt(j) != '$' || j - i > MAX_DOLLAR_TAG) {
            symbol();
            return;
        }
        String delimiter = s.substring(i, j + 1);
        int close = s.indexOf(delimiter, j + 1);
        if (close < 0) {
            unterminated("dollar-quoted string", start);
        } else {
            i = close + delimiter.length();
        }
        add(Kind.STRING, s.substring(start, i), start);
    }

    /**
     * A bind marker, unless it starts an operator such as jsonb {@code ?|} (and {@code ?||} is a marker and a concat).
     * H2's numbered markers ({@code ?1}, as its plans print them) are one marker.
     */
    private void question() {
        if (s.startsWith("?||", i) || !matchOperator()) {
            int start = i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            add(Kind.BIND, asWritten ? s.substring(start, i) : "?", start);
        }
    }

    /** A number starting at {@code start} (the sign of a folded unary minus included); {@code i} is on its first digit or dot. */
    private void number(int start) {
        if (s.charAt(i) == '0' && (peek(1) == 'x' || peek(1) == 'X') && isHexDigit(peek(2))) {
            i += 2;
            while (i < n && isHexDigit(s.charAt(i))) {
                i++;
            }
        } else {
            digits();
            if (peek(0) == '.') {
                i++;
                digits();
            }
            char e = peek(0);
            char after = peek(1);
            if ((e == 'e' || e == 'E') && (isDigit(after) || ((after == '+' || after == '-') && isDigit(peek(2))))) {
                i += 2;
                digits();
            }
        }
        add(Kind.NUMBER, s.substring(start, i), start);
    }

    private void digits() {
        while (i < n && isDigit(s.charAt(i))) {
            i++;
        }
    }

    /** A keyword or name; or the prefix of a string literal ({@code E'..'}, {@code N'..'}, {@code X'..'}, {@code _utf8mb4'..'}...). */
    private void word() {
        int start = i;
        while (i < n && isIdentifierPart(s.charAt(i))) {
            i++;
        }
        int length = i - start;
        char first = s.charAt(start);
        if (peek(0) == '\'' && (first == '_' || (length == 1 && "eEnNxXbB".indexOf(first) >= 0))) {
            string(start, i + 1, backslashEscapes || first == 'e' || first == 'E');
            return;
        }
        if (length == 1 && (first == 'u' || first == 'U') && peek(0) == '&' && peek(1) == '\'') {
            string(start, i + 2, false);
            return;
        }
        String word = s.substring(start, i);
        String lower = word.toLowerCase(Locale.ROOT);
        Kind kind = lower.equals("true") || lower.equals("false") ? Kind.BOOLEAN : Kind.WORD;
        add(kind, asWritten ? word : lower, start);
    }

    /** MySQL {@code @var}, {@code @@session.x}, SQL Server {@code @p1}: one name rather than a symbol and a word. */
    private void variable() {
        int start = i;
        i += s.charAt(i + 1) == '@' ? 2 : 1;
        while (i < n && isIdentifierPart(s.charAt(i))) {
            i++;
        }
        String name = s.substring(start, i);
        add(Kind.WORD, asWritten ? name : name.toLowerCase(Locale.ROOT), start);
    }

    private void symbol() {
        if (matchOperator()) {
            return;
        }
        char c = s.charAt(i);
        String text = c < SYMBOL_TEXT.length ? SYMBOL_TEXT[c] : null;
        if (text == null) {
            text = String.valueOf(c);
            if (problem == null) {
                report(String.format(Locale.ROOT, "unexpected character U+%04X at offset %d", (int) c, i));
            }
        }
        add(Kind.SYMBOL, text, i++);
    }

    private boolean matchOperator() {
        if (OPERATOR_STARTS.indexOf(s.charAt(i)) < 0) {
            return false;
        }
        for (String op : OPERATORS) {
            if (s.startsWith(op, i)) {
                add(Kind.SYMBOL, op, i);
                i += op.length();
                return true;
            }
        }
        return false;
    }

    /** A minus is a sign at the start, after an operator, an opening bracket, a comma or a keyword. */
    private boolean signContext() {
        if (last == null) {
            return true;
        }
        return switch (last.kind()) {
            case SYMBOL -> !(last.text().equals(")") || last.text().equals("]") || last.text().equals("}"));
            case WORD -> Token.KEYWORDS.contains(asWritten ? last.text().toLowerCase(Locale.ROOT) : last.text());
            default -> false;
        };
    }

    /** True when the previous character ends a name, so a following {@code .5} is a qualifier, not a number. */
    private boolean afterName() {
        if (i == 0) {
            return false;
        }
        char before = s.charAt(i - 1);
        return isIdentifierPart(before) || before == '"' || before == '`' || before == ']' || before == ')';
    }

    private void add(Kind kind, String text, int start) {
        last = new Token(kind, text, start);
        out.add(last);
    }

    private void unterminated(String what, int start) {
        report("unterminated " + what + " at offset " + start);
        unterminated = true;
        i = n;
    }

    private void report(String message) {
        if (problem == null) {
            problem = message;
        }
    }

    private char peek(int ahead) {
        int at = i + ahead;
        return at < n ? s.charAt(at) : '\0';
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static boolean isTagChar(char c, boolean first) {
        return c == '_' || (c < 128 && Character.isLetter(c)) || (!first && isDigit(c));
    }
}
