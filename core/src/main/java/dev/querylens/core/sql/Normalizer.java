package dev.querylens.core.sql;

import dev.querylens.core.sql.Token.Kind;

import java.util.Set;

/**
 * Renders tokens as normalized text: values become {@code ?}, lists of like elements ({@code IN (...)},
 * {@code ARRAY[...]}, multi-row {@code VALUES}) keep their first element, and spacing is canonical so that the text
 * does not depend on how the SQL was laid out.
 */
final class Normalizer {

    /** The normalized text, and whether the statement fetches by a list of keys. */
    record Result(String text, boolean batchFetch) {
    }

    private static final Set<String> NO_SPACE_AFTER = Set.of("(", "[", "{", ".", "::");
    private static final Set<String> NO_SPACE_BEFORE = Set.of(")", "]", "}", ",", ".", ";", "::");

    private final Tokens ts;
    private final StringBuilder out;
    private int last = -1;
    private boolean batchFetch;

    private Normalizer(Tokens ts) {
        this.ts = ts;
        this.out = new StringBuilder(ts.size() * 6);
    }

    static Result normalize(Tokens ts) {
        Normalizer normalizer = new Normalizer(ts);
        int end = ts.size();
        while (end > 0 && ts.symbol(end - 1, ";")) {
            end--;
        }
        normalizer.render(0, end);
        return new Result(normalizer.out.toString(), normalizer.batchFetch);
    }

    /*
     * Recursion only enters the kept element of a collapsed list, and a list collapses only with two or more
     * elements, so the depth is logarithmic in the text length.
     */
    private void render(int from, int to) {
        for (int i = from; i < to; i++) {
            Token token = ts.get(i);
            if (token.kind() == Kind.WORD && ts.opens(i + 1) && ts.closed(i + 1)) {
                String word = token.text();
                if (word.equals("in") || word.equals("array")) {
                    int open = i + 1;
                    int firstEnd = firstOfLikeElements(open);
                    if (firstEnd > 0) {
                        batchFetch |= word.equals("in") && !ts.word(i - 1, "not");
                        append(i);
                        append(open);
                        render(open + 1, firstEnd);
                        i = ts.close(open);
                        append(i);
                        continue;
                    }
                } else if (word.equals("values")) {
                    int lastRow = lastOfLikeRows(i + 1);
                    if (lastRow > 0) {
                        append(i);
                        render(i + 1, ts.close(i + 1) + 1);
                        i = ts.close(lastRow);
                        continue;
                    }
                } else if (word.equals("any") && ts.symbol(i - 1, "=")) {
                    batchFetch = true;
                }
            }
            append(i);
        }
    }

    /**
     * For the list opened at {@code open}: the end (exclusive) of its first element when it has two or more
     * elements and all render alike, else -1.
     */
    private int firstOfLikeElements(int open) {
        int close = ts.close(open);
        int firstEnd = -1;
        int count = 0;
        int start = open + 1;
        for (int j = start; j <= close; j++) {
            if (j == close || ts.symbol(j, ",")) {
                if (j == start || (count > 0 && !alike(open + 1, firstEnd, start, j))) {
                    return -1;
                }
                if (count++ == 0) {
                    firstEnd = j;
                }
                start = j + 1;
            } else if (ts.opens(j)) {
                j = ts.close(j) - 1;
            }
        }
        return count >= 2 ? firstEnd : -1;
    }

    /**
     * For {@code VALUES (...), (...)} with its first row opened at {@code open}: the opening bracket of the last row
     * when there are two or more rows and all render alike, else -1.
     */
    private int lastOfLikeRows(int open) {
        int firstClose = ts.close(open);
        int row = open;
        int rows = 1;
        while (ts.symbol(ts.close(row) + 1, ",") && ts.symbol(ts.close(row) + 2, "(")) {
            int next = ts.close(row) + 2;
            if (!ts.closed(next) || !alike(open, firstClose + 1, next, ts.close(next) + 1)) {
                return -1;
            }
            row = next;
            rows++;
        }
        return rows >= 2 ? row : -1;
    }

    private boolean alike(int a, int aEnd, int b, int bEnd) {
        if (aEnd - a != bEnd - b) {
            return false;
        }
        for (int k = 0; k < aEnd - a; k++) {
            if (!ts.get(a + k).rendered().equals(ts.get(b + k).rendered())) {
                return false;
            }
        }
        return true;
    }

    private void append(int i) {
        if (last >= 0 && spaced(last, i)) {
            out.append(' ');
        }
        out.append(ts.get(i).rendered());
        last = i;
    }

    private boolean spaced(int a, int b) {
        Token before = ts.get(a);
        Token after = ts.get(b);
        if (before.kind() == Kind.SYMBOL && NO_SPACE_AFTER.contains(before.text())) {
            return false;
        }
        if (after.kind() != Kind.SYMBOL) {
            return true;
        }
        if (NO_SPACE_BEFORE.contains(after.text())) {
            return false;
        }
        if (after.text().equals("[")) {
            return !(before.isName() || before.is(Kind.SYMBOL, "]") || before.is(Kind.SYMBOL, ")"));
        }
        if (after.text().equals("(") && before.isName()) {
            return before.isKeyword() || namesInsertTarget(a);
        }
        return true;
    }

    /** True when the name ending at {@code i} follows INTO, so a bracket after it lists columns, not arguments. */
    private boolean namesInsertTarget(int i) {
        int j = i;
        while (ts.symbol(j - 1, ".") && j >= 2 && ts.get(j - 2).isName()) {
            j -= 2;
        }
        return ts.word(j - 1, "into");
    }
}
