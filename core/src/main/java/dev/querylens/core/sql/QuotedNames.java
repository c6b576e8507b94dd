package dev.querylens.core.sql;

import dev.querylens.core.sql.Token.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides, in text of any database, whether each {@code "..."} is a name or a string. PostgreSQL, H2 and the
 * standard read it as a name, MySQL and MariaDB (without {@code ANSI_QUOTES}) as a string, and the fingerprinter
 * does not know which database wrote the text. So a {@code "..."} stays a name only where a name is the only thing
 * that can stand, in every dialect: part of a qualified name ({@code "s"."t"}, {@code o."id"}), before an opening
 * bracket (a function), after {@code FROM}, {@code JOIN}, {@code INTO}, {@code UPDATE}, {@code TABLE},
 * {@code AS}, {@code RETURNING} or {@code WITH}, before {@code AS (} (a common table expression), in the column list of an {@code INSERT}, {@code ON CONFLICT} or
 * {@code USING}, and as the target of a {@code SET} item. Anywhere else it becomes a {@link Kind#STRING}: a
 * MySQL string must never reach normalized text, a PostgreSQL name there only reads as {@code ?}.
 */
final class QuotedNames {

    private static final Set<String> BEFORE_NAME = Set.of(
            "from", "join", "into", "update", "table", "as", "returning", "with", "recursive");
    // A bracket after one of these words, or after a name after INTO, lists columns.
    private static final Set<String> BEFORE_COLUMN_LIST = Set.of("conflict", "using");
    // Words that end a SET list at their depth.
    private static final Set<String> AFTER_SET = Set.of("where", "from", "returning", "on", "select", "values");

    private QuotedNames() {
    }

    static List<Token> resolve(List<Token> tokens) {
        List<Token> out = null;
        boolean[] columnList = new boolean[tokens.size() + 1];
        boolean[] inSet = new boolean[tokens.size() + 1];
        int depth = 0;
        for (int k = 0; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            if (t.isSymbol("(")) {
                depth++;
                columnList[depth] = columnListOpens(tokens, k);
                inSet[depth] = false;
                continue;
            }
            if (t.isSymbol(")")) {
                depth = Math.max(0, depth - 1);
                continue;
            }
            if (t.kind() == Kind.WORD) {
                if (t.text().equals("set")) {
                    inSet[depth] = true;
                } else if (AFTER_SET.contains(t.text())) {
                    inSet[depth] = false;
                }
            }
            if (t.kind() != Kind.QUOTED || !t.text().startsWith("\"") || isName(tokens, k, columnList[depth], inSet[depth])) {
                continue;
            }
            if (out == null) {
                out = new ArrayList<>(tokens);
            }
            out.set(k, new Token(Kind.STRING, t.text(), t.start()));
        }
        return out == null ? tokens : out;
    }

    private static boolean isName(List<Token> tokens, int k, boolean columnList, boolean inSet) {
        Token before = k > 0 ? tokens.get(k - 1) : null;
        Token after = k + 1 < tokens.size() ? tokens.get(k + 1) : null;
        if ((before != null && before.isSymbol(".")) || (after != null && (after.isSymbol(".") || after.isSymbol("(")))) {
            return true;
        }
        if (before != null && before.kind() == Kind.WORD && BEFORE_NAME.contains(before.text())) {
            return true;
        }
        // a common table expression: WITH "x" AS (, WITH "x" (cols) AS (
        if (after != null && ((after.isWord("as") && k + 2 < tokens.size() && tokens.get(k + 2).isSymbol("("))
                || (after.isSymbol("(") && before != null && (before.isWord("with") || before.isWord("recursive"))))) {
            return true;
        }
        boolean listed = before != null && (before.isSymbol("(") || before.isSymbol(","))
                && after != null && (after.isSymbol(",") || after.isSymbol(")"));
        if (columnList && listed) {
            return true;
        }
        return inSet && after != null && after.isSymbol("=") && before != null
                && (before.isWord("set") || before.isSymbol(","));
    }

    /** True when the bracket at {@code open} lists columns: {@code INTO t (}, {@code ON CONFLICT (}, {@code USING (}. */
    private static boolean columnListOpens(List<Token> tokens, int open) {
        if (open == 0) {
            return false;
        }
        Token before = tokens.get(open - 1);
        if (before.kind() == Kind.WORD && BEFORE_COLUMN_LIST.contains(before.text())) {
            return true;
        }
        int j = open - 1;
        while (j >= 2 && tokens.get(j).isName() && tokens.get(j - 1).isSymbol(".")) {
            j -= 2;
        }
        return j >= 1 && tokens.get(j).isName() && tokens.get(j - 1).isWord("into");
    }
}
