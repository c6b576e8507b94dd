package dev.querylens.core.sql;

import dev.querylens.core.sql.Token.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL text into tokens in one forward pass over its characters. Text of a known database is read with its
 * {@link SqlSyntax}: where its strings, quoted names and comments start and end as that database reads them, and
 * a {@linkplain Result#problem() problem} wherever the reading could differ from the server's (an executable
 * MySQL comment, a character the lexer does not know, settings that change the reading). Text of any database
 * ({@link #lex(String)}, the fingerprinter's) is read so that no literal survives whichever database it was
 * written for: what could be a string in one dialect and a name or code in another is read as a string.
 *
 * <p>The EXPLAIN readers read text of a known database and need it back as written ({@link #lexAsWritten}).
 * Known limits of the reading of any database's text: {@code ?|} and {@code ?&} are jsonb operators, never a
 * marker followed by bitwise or/and; {@code [} opens a SQL Server identifier unless it follows a name, a bracket
 * or {@code ARRAY}; {@code #} starts a comment unless it starts a jsonb operator ({@code #>}, {@code #-}).
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
    /** The database whose text this is, or {@code null} for text of any database (the fingerprinter's). */
    private final SqlSyntax syntax;
    private final SqlSyntax.Family family;
    /** A backslash escapes the next character in a plain {@code '...'} string. */
    private final boolean backslashEscapes;
    /** {@code "..."} is a MySQL string rather than a name. */
    private final boolean doubleQuotedStrings;
    // As written: text kept as written, comments kept as tokens.
    private final boolean asWritten;
    private final List<Token> out = new ArrayList<>();
    // The last token other than a comment.
    private Token last;
    private boolean nestedComments;
    private boolean escapedQuoteSeen;
    private boolean unterminated;
    private String problem;
    private int i;

    private SqlLexer(String sql, SqlSyntax syntax, boolean backslashEscapes, boolean asWritten) {
        this.s = sql;
        this.n = sql.length();
        this.syntax = syntax;
        this.family = syntax == null ? null : syntax.family();
        this.backslashEscapes = backslashEscapes;
        this.doubleQuotedStrings = family == SqlSyntax.Family.MYSQL && !syntax.ansiQuotes();
        this.asWritten = asWritten;
        this.nestedComments = family != SqlSyntax.Family.MYSQL;
    }

    /**
     * Tokenizes {@code sql} of any database for the fingerprinter: comments are dropped, words and booleans
     * lowercased, numbered {@code ?} markers written {@code ?}. A backslash escapes a quote in {@code '...'} and
     * {@code "..."} (MySQL) unless that leaves a string unterminated, in which case the standard reading is taken
     * ({@code 'C:\\'} is a whole string in PostgreSQL). Where a backslash stands before a quote the text is read
     * both ways, and a word that the other reading finds inside one of its strings is taken for a string: text can
     * be valid in both readings with different literals; a string the other reading leaves unterminated does not
     * count (that reading is simply wrong, as for PostgreSQL's {@code escape '\\'}). When neither reading is clean,
     * or the text was {@code truncated} (the cut may hide what would tell the readings apart), every word from where
     * the readings part is taken for a string. Last, a {@code "..."} that does not stand where only a name can
     * stand is taken for a string ({@link QuotedNames}): MySQL reads it so.
     */
    static Result lex(String sql, boolean truncated) {
        SqlLexer mysqlStyle = new SqlLexer(sql, null, true, false).run();
        List<Token> tokens = mysqlStyle.out;
        String problem = mysqlStyle.problem;
        boolean terminated = !mysqlStyle.unterminated;
        if (mysqlStyle.escapedQuoteSeen) {
            SqlLexer standard = new SqlLexer(sql, null, false, false).run();
            SqlLexer chosen = mysqlStyle.problem != null && standard.problem == null ? standard : mysqlStyle;
            SqlLexer other = chosen == standard ? mysqlStyle : standard;
            if (chosen.problem == null && !truncated) {
                tokens = stringsOfEither(QuotedNames.resolve(chosen.out), QuotedNames.resolve(other.out),
                        other.unterminated);
            } else {
                // no reading is clean, or the cut may hide what would show which is: from where the readings
                // part, any word may be a literal
                Token parting = firstDifference(chosen.out, other.out);
                tokens = parting == null ? chosen.out : contentAsStrings(chosen.out, parting.start());
            }
            problem = chosen.problem;
            terminated = !chosen.unterminated;
        }
        return new Result(QuotedNames.resolve(tokens), problem, terminated);
    }

    static Result lex(String sql) {
        return lex(sql, false);
    }

    /** Tokenizes {@code sql} of a known database the way {@link #lex(String)} does: comments dropped, words lowercased. */
    static Result lex(String sql, SqlSyntax syntax) {
        return new SqlLexer(sql, syntax, syntax.backslashEscapes(), false).run().result();
    }

    /**
     * Tokenizes {@code sql} of a known database, keeping what {@link #lex(String)} normalizes away: comments are
     * {@link Kind#COMMENT} tokens, every token's text is as written (so {@link Token#end()} is exact). A
     * {@linkplain Result#problem() problem} names the first place where the database could read the text
     * otherwise than this reading: such text must not be trusted to be what the tokens say.
     */
    public static Result lexAsWritten(String sql, SqlSyntax syntax) {
        return new SqlLexer(sql, syntax, syntax.backslashEscapes(), true).run().result();
    }

    /**
     * Tokenizes {@code sql} as each of {@code syntaxes} reads it (the readings a session with unknown settings may
     * give) and returns the first reading when all find the same tokens, otherwise a result whose
     * {@linkplain Result#problem() problem} says that the reading depends on the session's settings.
     */
    public static Result lexAsWritten(String sql, List<SqlSyntax> syntaxes) {
        Result first = lexAsWritten(sql, syntaxes.get(0));
        for (int k = 1; k < syntaxes.size(); k++) {
            Result other = lexAsWritten(sql, syntaxes.get(k));
            if (!sameBoundaries(first.tokens(), other.tokens())) {
                Token at = firstDifference(first.tokens(), other.tokens());
                String why = "the text reads differently under " + syntaxes.get(0) + " and " + syntaxes.get(k)
                        + (at == null ? "" : " from offset " + at.start());
                return new Result(first.tokens(), first.problem() != null ? first.problem() : why, first.terminated());
            }
        }
        return first;
    }

    /**
     * Plan and filter text a database printed: MySQL's rules when {@code mysql} (MySQL and MariaDB print backslash
     * escapes and backquoted names), PostgreSQL's otherwise (H2 prints text both read alike).
     */
    public static Result lexAsWritten(String sql, boolean mysql) {
        return lexAsWritten(sql, mysql ? SqlSyntax.MYSQL : SqlSyntax.POSTGRESQL);
    }

    private Result result() {
        return new Result(out, problem, !unterminated);
    }

    private SqlLexer run() {
        while (i < n) {
            char c = s.charAt(i);
            if (isSpace(c)) {
                i++;
            } else if (c == '-' && peek(1) == '-' && dashComment()) {
                lineComment();
            } else if (c == '/' && peek(1) == '*') {
                blockComment();
            } else if (c == '/' && peek(1) == '/' && (family == null || family == SqlSyntax.Family.H2)) {
                lineComment();
            } else if (c == '#' && hashComment()) {
                lineComment();
            } else if (c == '\'') {
                string(i, i + 1, backslashEscapes);
            } else if (c == '"') {
                if (doubleQuotedStrings) {
                    doubleQuotedString();
                } else {
                    quotedIdentifier(c, family == null && backslashEscapes);
                }
            } else if (c == '`') {
                quotedIdentifier(c, false);
            } else if (c == '[' && family == null) {
                bracket();
            } else if (c == '$' && family != SqlSyntax.Family.MYSQL) {
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
            } else {
                symbol();
            }
        }
        return this;
    }

    /** {@code --} starts a comment, except in MySQL where a space or control character must follow it. */
    private boolean dashComment() {
        if (family != SqlSyntax.Family.MYSQL) {
            return true;
        }
        char after = peek(2);
        return i + 2 >= n || after <= ' ' || after == 0x7F;
    }

    /** {@code #} starts a comment in MySQL; in text of any database too, unless it starts a jsonb operator. */
    private boolean hashComment() {
        if (family == null) {
            return peek(1) != '>' && peek(1) != '-';
        }
        return family == SqlSyntax.Family.MYSQL;
    }

    /** A line comment: to the end of the line, which is a new line in MySQL and a new line or return elsewhere. */
    private void lineComment() {
        int start = i;
        boolean mysql = family == SqlSyntax.Family.MYSQL;
        while (i < n && s.charAt(i) != '\n' && (mysql || s.charAt(i) != '\r')) {
            if (mysql && s.charAt(i) == '\r') {
                report("a carriage return inside a line comment at offset " + i); // read alike by every server?
            }
            i++;
        }
        comment(start);
    }

    /**
     * PostgreSQL, H2 and the standard nest block comments, MySQL does not. For text of any database: read nested
     * first; if that runs off the end but a closer was seen, the text is MySQL's: end the comment at its first
     * closer and stop nesting for the rest of the text, which keeps the rescan to once per text. MySQL's
     * executable comments ({@code /*!...*}{@code /}, MariaDB's {@code /*M!...*}{@code /}) are code to the server.
     */
    private void blockComment() {
        int start = i;
        int depth = 1;
        int firstClose = -1;
        boolean mysql = family == SqlSyntax.Family.MYSQL;
        if (mysql && (peek(2) == '!' || (peek(2) == 'M' && peek(3) == '!'))) {
            report("a MySQL executable comment at offset " + i);
        }
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
                if (mysql && s.startsWith("/*", i)) {
                    report("a comment opened inside a comment at offset " + i); // MariaDB nests some
                }
                i++;
            }
        }
        if (firstClose >= 0 && family == null) {
            nestedComments = false;
            i = firstClose;
            comment(start);
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

    /** MySQL's {@code "..."} string, with backslash escapes unless {@code NO_BACKSLASH_ESCAPES}. */
    private void doubleQuotedString() {
        int start = i++;
        if (!closeQuote('"', backslashEscapes)) {
            unterminated("string literal", start);
        }
        add(Kind.STRING, s.substring(start, i), start);
    }

    private void quotedIdentifier(char quote, boolean backslash) {
        int start = i++;
        if (!closeQuote(quote, backslash)) {
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

    /**
     * {@code $1} bind marker, {@code $$...$$} or {@code $tag$...$tag$} string (H2 knows only {@code $$}), or a
     * lone symbol. A PostgreSQL tag is a letter, any non-ASCII character or {@code _}, then those or digits.
     */
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
        if (family != SqlSyntax.Family.H2) {
            while (j < n && j - i <= MAX_DOLLAR_TAG && isTagChar(s.charAt(j), j == i + 1)) {
                j++;
            }
        }
        if (j >= n || s.charAt(j) != '$' || j - i > MAX_DOLLAR_TAG) {
            if (j - i > MAX_DOLLAR_TAG) {
                report("a dollar-quote tag longer than " + MAX_DOLLAR_TAG + " characters at offset " + i);
            }
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

    /**
     * A number starting at {@code start} (the sign of a folded unary minus included); {@code i} is on its first
     * digit or dot. Hexadecimal, octal and binary integers ({@code 0x1F}, {@code 0o17}, {@code 0b101}) and digits
     * grouped by underscores ({@code 1_000}) are one number.
     */
    private void number(int start) {
        char radix = Character.toLowerCase(peek(1));
        if (s.charAt(i) == '0' && (radix == 'x' || radix == 'o' || radix == 'b') && isRadixDigit(peek(2), radix)) {
            i += 2;
            while (i < n && (isRadixDigit(s.charAt(i), radix) || (s.charAt(i) == '_' && isRadixDigit(peek(1), radix)))) {
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
        while (i < n && (isDigit(s.charAt(i)) || (s.charAt(i) == '_' && isDigit(peek(1)) && i > 0 && isDigit(s.charAt(i - 1))))) {
            i++;
        }
    }

    /**
     * A keyword or name; or the prefix of a string literal ({@code E'..'}, {@code N'..'}, {@code X'..'},
     * {@code _utf8mb4'..'}, {@code U&'..'}; Oracle's {@code q'[..]'} in text of any database).
     */
    private void word() {
        int start = i;
        while (i < n && isIdentifierPart(s.charAt(i))) {
            i++;
        }
        int length = i - start;
        char first = s.charAt(start);
        if (peek(0) == '\'' && (first == '_' || (length == 1 && "eEnNxXbB".indexOf(first) >= 0))) {
            // PostgreSQL's E'..' takes backslash escapes; bit and hex strings never do (MySQL ends them at a non-digit)
            boolean bits = "xXbB".indexOf(first) >= 0 && family != null;
            boolean escapes = !bits && (backslashEscapes
                    || ((first == 'e' || first == 'E') && family != SqlSyntax.Family.H2 && family != SqlSyntax.Family.MYSQL));
            string(start, i + 1, escapes);
            return;
        }
        if (length == 1 && (first == 'u' || first == 'U') && peek(0) == '&' && peek(1) == '\'' && family != SqlSyntax.Family.MYSQL) {
            string(start, i + 2, false);
            return;
        }
        char q = s.charAt(i - 1);
        if (family == null && peek(0) == '\'' && (q == 'q' || q == 'Q')
                && (length == 1 || (length == 2 && (first == 'n' || first == 'N'))) && oracleQuote(start)) {
            return;
        }
        String word = s.substring(start, i);
        String lower = word.toLowerCase(Locale.ROOT);
        Kind kind = lower.equals("true") || lower.equals("false") ? Kind.BOOLEAN : Kind.WORD;
        add(kind, asWritten ? word : lower, start);
    }

    /** Oracle's {@code q'<d>...<d>'} with {@code i} on the quote: true when it is one and was read. */
    private boolean oracleQuote(int start) {
        if (i + 1 >= n) {
            return false;
        }
        char open = s.charAt(i + 1);
        if (isSpace(open) || open == '\'') {
            return false;
        }
        char close = switch (open) {
            case '[' -> ']';
            case '(' -> ')';
            case '{' -> '}';
            case '<' -> '>';
            default -> open;
        };
        int end = s.indexOf(String.valueOf(close) + '\'', i + 2);
        if (end < 0) {
            i = n;
            report("unterminated string literal at offset " + start);
            unterminated = true;
        } else {
            i = end + 2;
        }
        add(Kind.STRING, s.substring(start, i), start);
        return true;
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
            report(String.format(Locale.ROOT, "unexpected character U+%04X at offset %d", (int) c, i));
        }
        add(Kind.SYMBOL, text, i++);
    }

    /**
     * An operator of two or more characters, never one that would swallow the start of a comment: PostgreSQL
     * ends an operator before {@code --} or {@code /*}, so {@code #--} is {@code #} and a comment.
     */
    private boolean matchOperator() {
        if (OPERATOR_STARTS.indexOf(s.charAt(i)) < 0) {
            return false;
        }
        for (String op : OPERATORS) {
            if (s.startsWith(op, i) && !startsCommentWithin(op.length())) {
                add(Kind.SYMBOL, op, i);
                i += op.length();
                return true;
            }
        }
        return false;
    }

    private boolean startsCommentWithin(int length) {
        for (int k = 1; k < length; k++) {
            char c = peek(k);
            char next = peek(k + 1);
            if ((c == '-' && next == '-') || (c == '/' && next == '*') || (c == '#' && family == SqlSyntax.Family.MYSQL)) {
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

    /**
     * Servers skip only ASCII white space; PostgreSQL and MySQL take any other character above ASCII for part
     * of a name. Text of any database is more forgiving: Unicode spaces separate tokens.
     */
    private boolean isSpace(char c) {
        if (family != null) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
        }
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isRadixDigit(char c, char radix) {
        return switch (radix) {
            case 'x' -> isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            case 'o' -> c >= '0' && c <= '7';
            default -> c == '0' || c == '1';
        };
    }

    private boolean isIdentifierStart(char c) {
        if (family == SqlSyntax.Family.MYSQL && c == '$') {
            return true;
        }
        if (family != null && c >= 0x80) {
            return nonAsciiNamePart(c);
        }
        return Character.isLetter(c) || c == '_';
    }

    private boolean isIdentifierPart(char c) {
        if (family != null && c >= 0x80) {
            return nonAsciiNamePart(c);
        }
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /**
     * PostgreSQL and MySQL read every character above ASCII as part of a name, H2 only letters and digits: for H2
     * anything else is a problem, and read as a symbol.
     */
    private boolean nonAsciiNamePart(char c) {
        return family != SqlSyntax.Family.H2 || Character.isLetterOrDigit(c);
    }

    private boolean isTagChar(char c, boolean first) {
        return c == '_' || (c < 128 && Character.isLetter(c)) || c >= 128 || (!first && isDigit(c));
    }

    private static boolean sameBoundaries(List<Token> a, List<Token> b) {
        return firstDifference(a, b) == null && a.size() == b.size();
    }

    private static Token firstDifference(List<Token> a, List<Token> b) {
        for (int k = 0; k < Math.min(a.size(), b.size()); k++) {
            Token x = a.get(k);
            Token y = b.get(k);
            if (x.start() != y.start() || x.text().length() != y.text().length()) {
                return x.start() <= y.start() ? x : y;
            }
        }
        return a.size() == b.size() ? null : a.size() < b.size() ? b.get(a.size()) : a.get(b.size());
    }

    /** The tokens, with every word, name or unknown character from offset {@code from} on taken for a string. */
    private static List<Token> contentAsStrings(List<Token> tokens, int from) {
        List<Token> out = new ArrayList<>(tokens.size());
        for (Token t : tokens) {
            out.add(t.start() >= from && isContent(t) ? new Token(Kind.STRING, t.text(), t.start()) : t);
        }
        return out;
    }

    private static boolean isContent(Token t) {
        return t.kind() == Kind.QUOTED || (t.kind() == Kind.WORD && !t.isKeyword())
                || (t.kind() == Kind.SYMBOL && (t.text().length() != 1 || SINGLE_SYMBOLS.indexOf(t.text().charAt(0)) < 0));
    }

    /**
     * The tokens of {@code chosen}, except that a word, name or unknown character lying inside a string of the
     * {@code other} reading becomes a string: when two readings disagree, what one of them calls a string is
     * treated as one. Keywords stay, so that the statement keeps its shape. The other reading's last string is
     * left out when {@code skipLast} (it runs off the end of the text).
     */
    private static List<Token> stringsOfEither(List<Token> chosen, List<Token> other, boolean skipLast) {
        List<Token> merged = new ArrayList<>(chosen.size());
        int strings = skipLast ? other.size() - 1 : other.size();
        int k = 0;
        for (Token t : chosen) {
            while (k < strings && other.get(k).end() <= t.start()) {
                k++;
            }
            boolean inside = false;
            for (int j = k; j < strings && other.get(j).start() < t.end(); j++) {
                Token o = other.get(j);
                inside |= o.kind() == Kind.STRING && t.start() < o.end();
            }
            merged.add(inside && isContent(t) ? new Token(Kind.STRING, t.text(), t.start()) : t);
        }
        return merged;
    }
}
