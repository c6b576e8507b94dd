package dev.querylens.core.sql;

import dev.querylens.core.sql.Token.Kind;

/**
 * Finds {@code LIMIT}, {@code OFFSET}, {@code FETCH FIRST|NEXT} and {@code TOP} clauses. A keyword counts only
 * when a value follows it, so columns named {@code limit}, {@code offset} or {@code top} are not taken for one.
 */
final class Paging {

    private Paging() {
    }

    /**
     * Sets {@code inClause[i]} for each literal or bind marker that is a paging value.
     *
     * @return whether the statement has a paging clause
     */
    static boolean mark(Tokens ts, boolean[] inClause) {
        boolean paged = false;
        for (int i = 0; i < ts.size(); i++) {
            Token token = ts.get(i);
            if (token.kind() != Kind.WORD) {
                continue;
            }
            switch (token.text()) {
                case "limit" -> {
                    int next = value(ts, i + 1, inClause);
                    if (next > i + 1 && ts.symbol(next, ",")) {
                        value(ts, next + 1, inClause); // MySQL LIMIT offset, count
                    }
                    paged |= next > i + 1 || ts.word(i + 1, "all");
                }
                case "offset" -> paged |= value(ts, i + 1, inClause) > i + 1;
                case "fetch" -> {
                    if (ts.word(i + 1, "first") || ts.word(i + 1, "next")) {
                        // FETCH FIRST ROW ONLY has no value; FETCH NEXT FROM cursor is no paging at all.
                        paged |= value(ts, i + 2, inClause) > i + 2 || ts.word(i + 2, "row") || ts.word(i + 2, "rows");
                    }
                }
                case "top" -> {
                    if (ts.word(i - 1, "select") || ts.word(i - 1, "distinct") || ts.word(i - 1, "all")) {
                        paged |= value(ts, i + 1, inClause) > i + 1;
                    }
                }
                default -> {
                }
            }
        }
        return paged;
    }

    /** Marks the value at {@code i}: a literal, a bind marker, or a bracketed expression; returns the index after it. */
    private static int value(Tokens ts, int i, boolean[] inClause) {
        if (i >= ts.size()) {
            return i;
        }
        if (ts.get(i).isValue()) {
            inClause[i] = true;
            return i + 1;
        }
        if (ts.symbol(i, "(") && ts.closed(i)) {
            for (int j = i + 1; j < ts.close(i); j++) {
                inClause[j] = ts.get(j).isValue();
            }
            return ts.close(i) + 1;
        }
        return i;
    }
}
