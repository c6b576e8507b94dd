package dev.querylens.core.sql;

import dev.querylens.core.sql.Token.Kind;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the values of a statement stand for, so that the rules can tell a loop over keys from a batch fetch or from
 * paging: which values sit in a list of keys ({@code IN (?, ?, ...)}, {@code = ANY (ARRAY[?, ?])}), which bind
 * markers may carry a whole array of keys ({@code = ANY (?)}, {@code IN (?)}, {@code array_contains(?, x)},
 * {@code unnest(?)}: how many keys is known only when the value is bound), and which values are a keyset page's
 * position ({@code where id > ? order by id limit ?}). Bind markers are numbered from 0 in the order they are
 * written ({@code $n} is {@code n - 1}).
 *
 * @param lists          bind lists, three ints each: the first bind's number, binds per element, elements; only
 *                       lists of two or more like elements ({@code NOT IN} lists are filters, never key lists)
 * @param literalList    the largest number of elements of a key list written with literals only (0 when none)
 * @param arrayBinds     numbers of the bind markers that may carry an array of keys
 * @param keysetBindMask bit {@code i} set when bind {@code i} is a keyset position (first 64 binds only)
 * @param valuesRows     rows of a multi-row {@code VALUES} (1 for a single row or none)
 */
public record ValueRoles(int[] lists, int literalList, int[] arrayBinds, long keysetBindMask, int valuesRows) {

    static final ValueRoles NONE = new ValueRoles(new int[0], 0, new int[0], 0, 1);

    private static final Set<String> RANGE = Set.of(">", ">=", "<", "<=");
    private static final Set<String> ORDER_BY_END = Set.of("limit", "offset", "fetch", "for", "lock", "union",
            "intersect", "except");

    /** True when bind {@code bind} (numbered from 0) lies in one of the {@link #lists}. */
    public boolean inList(int bind) {
        for (int k = 0; k < lists.length; k += 3) {
            if (bind >= lists[k] && bind < lists[k] + lists[k + 1] * lists[k + 2]) {
                return true;
            }
        }
        return false;
    }

    /** True when bind {@code bind} may carry an array of keys. */
    public boolean arrayBind(int bind) {
        for (int b : arrayBinds) {
            if (b == bind) {
                return true;
            }
        }
        return false;
    }

    /** True when the statement has any key list or array bind, so executions may fetch many keys at once. */
    public boolean mayFetchMany() {
        return lists.length > 0 || literalList >= 2 || arrayBinds.length > 0;
    }

    /**
     * Reads the roles of the values in {@code ts}, and marks in {@code literalInList} and {@code keysetValue} the
     * literal tokens in key lists and the value tokens of keyset positions.
     */
    static ValueRoles read(Tokens ts, boolean[] literalInList, boolean[] keysetValue) {
        int n = ts.size();
        int[] bindNumber = new int[n];
        int questionMarks = 0;
        for (int i = 0; i < n; i++) {
            Token t = ts.get(i);
            bindNumber[i] = t.kind() != Kind.BIND ? -1
                    : t.text().equals("?") ? questionMarks++ : dollarNumber(t.text());
        }
        List<Integer> lists = new ArrayList<>();
        List<Integer> arrays = new ArrayList<>();
        int literalList = 0;
        int valuesRows = 1;
        for (int i = 0; i < n; i++) {
            Token t = ts.get(i);
            if (t.kind() != Kind.WORD) {
                continue;
            }
            String w = t.text();
            boolean keyList = (w.equals("in") && !ts.word(i - 1, "not") && ts.symbol(i + 1, "("))
                    || (w.equals("array") && ts.opens(i + 1) && ts.symbol(i - 1, "(")
                    && (ts.word(i - 2, "any") || ts.word(i - 2, "some")));
            if (keyList && ts.closed(i + 1)) {
                int open = i + 1;
                int close = ts.close(open);
                int elements = elements(ts, open, close);
                if (elements >= 2) {
                    int binds = 0;
                    int first = -1;
                    for (int j = open + 1; j < close; j++) {
                        if (bindNumber[j] >= 0) {
                            if (first < 0) {
                                first = bindNumber[j];
                            }
                            binds++;
                        } else if (ts.get(j).isLiteral()) {
                            literalInList[j] = true;
                        }
                    }
                    if (binds > 0 && binds % elements == 0) {
                        lists.add(first);
                        lists.add(binds / elements);
                        lists.add(elements);
                    } else {
                        literalList = Math.max(literalList, elements);
                    }
                } else if (w.equals("in")) {
                    addArrayBind(ts, bindNumber, open + 1, arrays);
                }
            } else if ((w.equals("any") || w.equals("some")) && ts.symbol(i + 1, "(")
                    || (w.equals("array_contains") || w.equals("unnest")) && ts.symbol(i + 1, "(")) {
                addArrayBind(ts, bindNumber, i + 2, arrays);
            } else if (w.equals("values") && ts.symbol(i + 1, "(")) {
                valuesRows = Math.max(valuesRows, rows(ts, i + 1));
            }
        }
        long keyset = keyset(ts, bindNumber, keysetValue);
        if (lists.isEmpty() && arrays.isEmpty() && literalList == 0 && keyset == 0 && valuesRows == 1
                && !any(keysetValue)) {
            return NONE;
        }
        return new ValueRoles(lists.stream().mapToInt(Integer::intValue).toArray(), literalList,
                arrays.stream().mapToInt(Integer::intValue).toArray(), keyset, valuesRows);
    }

    /** The bind at {@code i}, or inside {@code CAST(? AS ...)} at {@code i}, may carry an array. */
    private static void addArrayBind(Tokens ts, int[] bindNumber, int i, List<Integer> arrays) {
        if (ts.word(i, "cast") && ts.symbol(i + 1, "(")) {
            i += 2;
        }
        if (i < ts.size() && bindNumber[i] >= 0) {
            arrays.add(bindNumber[i]);
        }
    }

    /** Elements of the list opened at {@code open}: commas at its own depth plus one; 0 when empty. */
    private static int elements(Tokens ts, int open, int close) {
        if (close == open + 1) {
            return 0;
        }
        if (ts.word(open + 1, "select") || ts.word(open + 1, "with")) {
            return 0;
        }
        int count = 1;
        for (int j = open + 1; j < close; j++) {
            if (ts.opens(j)) {
                j = ts.close(j);
            } else if (ts.symbol(j, ",")) {
                count++;
            }
        }
        return count;
    }

    /** Rows of {@code VALUES (...), (...)} whose first row opens at {@code open}. */
    private static int rows(Tokens ts, int open) {
        int rows = 1;
        int row = open;
        while (ts.closed(row) && ts.symbol(ts.close(row) + 1, ",") && ts.symbol(ts.close(row) + 2, "(")) {
            row = ts.close(row) + 2;
            rows++;
        }
        return rows;
    }

    /**
     * Keyset paging: with a {@code LIMIT}, {@code FETCH FIRST/NEXT} or {@code TOP}, the values compared by range
     * ({@code >}, {@code >=}, {@code <}, {@code <=}, row values included) with a column of the top-level
     * {@code ORDER BY} (by name, or by position in the select list), and the values compared by {@code =} with such
     * a column that also has a range comparison ({@code a > ? or a = ? and id > ?}).
     */
    private static long keyset(Tokens ts, int[] bindNumber, boolean[] keysetValue) {
        int orderBy = -1;
        boolean limited = false;
        for (int i = 0; i < ts.size(); i++) {
            if (ts.opens(i)) {
                i = ts.close(i);
                continue;
            }
            if (ts.word(i, "order") && ts.word(i + 1, "by")) {
                orderBy = i + 2;
            } else if (ts.word(i, "limit") || (ts.word(i, "fetch") && (ts.word(i + 1, "first") || ts.word(i + 1, "next")))
                    || (ts.word(i, "top") && (ts.word(i - 1, "select") || ts.word(i - 1, "distinct")))) {
                limited = true;
            }
        }
        if (orderBy < 0 || !limited) {
            return 0;
        }
        Set<String> columns = orderColumns(ts, orderBy);
        if (columns.isEmpty()) {
            return 0;
        }
        Set<String> ranged = new HashSet<>();
        for (int i = 1; i + 1 < orderBy; i++) {
            Token op = ts.get(i);
            if (op.kind() != Kind.SYMBOL || !RANGE.contains(op.text())) {
                continue;
            }
            if (ts.symbol(i - 1, ")") && ts.symbol(i + 1, "(") && ts.closed(i + 1)) {
                rowComparison(ts, ts.close(i - 1), i - 1, i + 1, columns, ranged, keysetValue);
                continue;
            }
            int value = comparedValue(ts, i);
            String column = value < 0 ? null : comparedColumn(ts, i, value);
            if (column != null && columns.contains(column)) {
                keysetValue[value] = true;
                ranged.add(column);
            }
        }
        if (ranged.isEmpty()) {
            return 0;
        }
        for (int i = 1; i + 1 < orderBy; i++) {
            if (ts.symbol(i, "=")) {
                int value = comparedValue(ts, i);
                String column = value < 0 ? null : comparedColumn(ts, i, value);
                if (column != null && ranged.contains(column)) {
                    keysetValue[value] = true;
                }
            }
        }
        long mask = 0;
        for (int i = 0; i < ts.size(); i++) {
            if (keysetValue[i] && bindNumber[i] >= 0 && bindNumber[i] < Long.SIZE) {
                mask |= 1L << bindNumber[i];
            }
        }
        return mask;
    }

    /** The value token compared by the operator at {@code op} with a name, or -1. */
    private static int comparedValue(Tokens ts, int op) {
        if (ts.get(op + 1).isValue() && ts.get(op - 1).isName()) {
            return op + 1;
        }
        if (ts.get(op - 1).isValue() && ts.get(op + 1).isName()) {
            return op - 1;
        }
        return -1;
    }

    /** The column (last part of its name, lowercased) on the other side of {@code op} from {@code value}. */
    private static String comparedColumn(Tokens ts, int op, int value) {
        if (value > op) {
            return lower(ts.get(op - 1));
        }
        int end = op + 1;
        while (ts.symbol(end + 1, ".") && end + 2 < ts.size() && ts.get(end + 2).isName()) {
            end += 2;
        }
        return ts.symbol(end + 1, ".") ? null : lower(ts.get(end));
    }

    /** {@code (a, b) > (?, ?)}: each value compared with an ORDER BY column is a keyset position. */
    private static void rowComparison(Tokens ts, int leftOpen, int leftClose, int rightOpen, Set<String> columns,
                                      Set<String> ranged, boolean[] keysetValue) {
        List<String> names = new ArrayList<>();
        for (int j = leftOpen + 1; j < leftClose; j++) {
            if (ts.get(j).isName() && !ts.symbol(j + 1, ".")) {
                names.add(lower(ts.get(j)));
            } else if (!ts.get(j).isName() && !ts.symbol(j, ".") && !ts.symbol(j, ",")) {
                return;
            }
        }
        int rightClose = ts.close(rightOpen);
        int k = 0;
        for (int j = rightOpen + 1; j < rightClose && k < names.size(); j++) {
            if (ts.get(j).isValue()) {
                if (columns.contains(names.get(k))) {
                    keysetValue[j] = true;
                    ranged.add(names.get(k));
                }
                k++;
            } else if (!ts.symbol(j, ",")) {
                return;
            }
        }
    }

    /**
     * The columns of the ORDER BY list starting at {@code from}: the last part of each name, or for a position
     * ({@code ORDER BY 1}) the column the select list has there.
     */
    private static Set<String> orderColumns(Tokens ts, int from) {
        List<String> selectList = null;
        Set<String> columns = new HashSet<>();
        int i = from;
        while (i < ts.size()) {
            Token t = ts.get(i);
            if (t.kind() == Kind.NUMBER) {
                if (selectList == null) {
                    selectList = selectColumns(ts);
                }
                int position = parsePosition(t.text());
                if (position >= 1 && position <= selectList.size() && selectList.get(position - 1) != null) {
                    columns.add(selectList.get(position - 1));
                }
                i++;
            } else if (t.isName() && !ORDER_BY_END.contains(t.text())) {
                int end = i;
                while (ts.symbol(end + 1, ".") && end + 2 < ts.size() && ts.get(end + 2).isName()) {
                    end += 2;
                }
                if (!ts.opens(end + 1)) {
                    columns.add(lower(ts.get(end)));
                }
                i = end + 1;
            } else if (ts.opens(i)) {
                i = ts.close(i) + 1;
            } else {
                break;
            }
            // ASC, DESC, NULLS FIRST/LAST, COLLATE x: skipped up to the next comma
            while (i < ts.size() && !ts.symbol(i, ",") && !(ts.get(i).kind() == Kind.WORD
                    && ORDER_BY_END.contains(ts.get(i).text())) && !ts.symbol(i, ";")) {
                i = ts.opens(i) ? ts.close(i) + 1 : i + 1;
            }
            if (!ts.symbol(i, ",")) {
                break;
            }
            i++;
        }
        return columns;
    }

    /** The top-level select list: per item the column it names (last part), or null for an expression. */
    private static List<String> selectColumns(Tokens ts) {
        List<String> items = new ArrayList<>();
        int i = 0;
        while (i < ts.size() && !ts.word(i, "select")) {
            i = ts.opens(i) ? ts.close(i) + 1 : i + 1;
        }
        i++;
        if (ts.word(i, "distinct") || ts.word(i, "all")) {
            i++;
        }
        int start = i;
        for (; i <= ts.size(); i++) {
            if (i == ts.size() || ts.word(i, "from") || ts.symbol(i, ",")) {
                items.add(itemColumn(ts, start, i));
                if (i == ts.size() || ts.word(i, "from")) {
                    break;
                }
                start = i + 1;
            } else if (ts.opens(i)) {
                i = ts.close(i);
            }
        }
        return items;
    }

    /** {@code a.b}, {@code a.b AS x}, {@code a.b x}: {@code b}; anything else: null. */
    private static String itemColumn(Tokens ts, int from, int to) {
        int end = from;
        if (end >= to || !ts.get(end).isName()) {
            return null;
        }
        while (end + 2 < to && ts.symbol(end + 1, ".") && ts.get(end + 2).isName()) {
            end += 2;
        }
        int rest = to - end - 1;
        boolean aliased = rest == 0 || (rest == 1 && ts.get(end + 1).isName())
                || (rest == 2 && ts.word(end + 1, "as") && ts.get(end + 2).isName());
        return aliased ? lower(ts.get(end)) : null;
    }

    private static int parsePosition(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String lower(Token t) {
        return t.value().toLowerCase(Locale.ROOT);
    }

    private static boolean any(boolean[] flags) {
        for (boolean f : flags) {
            if (f) {
                return true;
            }
        }
        return false;
    }

    /** Zero-based number of a {@code $n} marker; {@link Integer#MAX_VALUE} when it has none. */
    private static int dollarNumber(String marker) {
        int n = 0;
        for (int k = 1; k < marker.length() && n < 100_000; k++) {
            char c = marker.charAt(k);
            if (c < '0' || c > '9') {
                return Integer.MAX_VALUE;
            }
            n = n * 10 + (c - '0');
        }
        return n - 1 < 0 ? Integer.MAX_VALUE : n - 1;
    }
}
