package dev.querylens.core.explain;

import dev.querylens.core.sql.SqlLexer;
import dev.querylens.core.sql.SqlSyntax;
import dev.querylens.core.sql.Token;
import dev.querylens.core.sql.Token.Kind;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Reads H2 2.x plans: the statement re-printed as SQL, each table of a {@code FROM} followed by a comment saying
 * how it is read ({@code /* PUBLIC.ORDERS.tableScan *}{@code /}, {@code /* PUBLIC.IDX: COL = ?1 *}{@code /}) and,
 * in joins, sometimes by a second comment {@code /* WHERE ... *}{@code /} with the condition pushed to that table.
 * Comments nest, and views print their own plan inside the comment: comments are single tokens, so nothing inside
 * them is mistaken for a table of this statement. Subqueries in parentheses are read as their own blocks.
 */
final class H2PlanParser {
    private static final Set<String> END_OF_WHERE = Set.of(
            "GROUP", "HAVING", "WINDOW", "QUALIFY", "ORDER", "OFFSET", "FETCH", "LIMIT", "UNION", "EXCEPT",
            "INTERSECT", "MINUS", "FOR");
    private static final Set<String> NOT_ALIAS = Set.of(
            "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "JOIN", "ON", "WHERE", "GROUP", "ORDER",
            "HAVING", "FETCH", "OFFSET", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "MINUS", "USE", "FOR", "WINDOW",
            "QUALIFY");

    /** One table of a FROM, as found; its filter is settled when its block ends. */
    private record Item(String schema, String table, String alias, Access access, String pushedFilter,
                        boolean first) {
    }

    /** One SELECT: its tables and the token range of its WHERE condition. */
    private static final class Block {
        final boolean top;
        final int parenDepth;
        final List<Item> items = new ArrayList<>();
        boolean started;
        boolean inFrom;
        boolean expectItem;
        int whereStart = -1;
        int whereEnd = -1;

        Block(boolean top, int parenDepth) {
            this.top = top;
            this.parenDepth = parenDepth;
        }
    }

    private final String text;
    private final List<Token> tokens;
    private final boolean stopsEarly;
    private final List<ScanNode> scans = new ArrayList<>();

    private H2PlanParser(String text) {
        this.text = text;
        this.tokens = SqlLexer.lexAsWritten(text, false).tokens();
        this.stopsEarly = StatementShape.of(text, SqlSyntax.H2).limitStopsEarly();
    }

    static ExplainPlan parse(String plan) throws PlanParseException {
        H2PlanParser parser = new H2PlanParser(plan);
        parser.run();
        return new ExplainPlan(Dialect.H2, parser.scans);
    }

    private void run() throws PlanParseException {
        Deque<Block> blocks = new ArrayDeque<>();
        Deque<Boolean> parenIsBlock = new ArrayDeque<>();
        int depth = 0;
        boolean sawSelect = false;
        boolean topTaken = false;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            Block block = blocks.peek();
            if (t.isSymbol("(")) {
                depth++;
                boolean sub = next(i).isWord("SELECT") || next(i).isWord("WITH");
                parenIsBlock.push(sub);
                if (sub) {
                    blocks.push(new Block(false, depth));
                }
                continue;
            }
            if (t.isSymbol(")")) {
                if (!parenIsBlock.isEmpty() && parenIsBlock.pop() && !blocks.isEmpty()) {
                    finish(blocks.pop(), i);
                }
                depth--;
                continue;
            }
            if (t.isWord("SELECT")) {
                sawSelect = true;
                if (block != null && block.parenDepth == depth && !block.started) {
                    block.started = true; // the SELECT of a parenthesised subquery
                    continue;
                }
                if (block != null && block.parenDepth == depth) {
                    finish(blocks.pop(), i); // a set operation: the next SELECT at the same level
                }
                Block started = new Block(!topTaken, depth);
                topTaken = true;
                started.started = true;
                blocks.push(started);
                continue;
            }
            if (block == null || t.kind() == Kind.COMMENT) {
                continue;
            }
            if (block.parenDepth == depth && t.kind() == Kind.WORD) {
                String word = t.upper();
                if (word.equals("FROM") && block.whereStart < 0) {
                    block.inFrom = true;
                    block.expectItem = true;
                    continue;
                }
                if (word.equals("WHERE")) {
                    block.inFrom = false;
                    block.whereStart = i + 1;
                    continue;
                }
                if (END_OF_WHERE.contains(word)) {
                    block.inFrom = false;
                    if (block.whereStart >= 0 && block.whereEnd < 0) {
                        block.whereEnd = i;
                    }
                    continue;
                }
            }
            if (!block.inFrom) {
                continue;
            }
            if (t.isWord("JOIN") || t.isSymbol(",")) {
                block.expectItem = true;
            } else if (block.expectItem && t.isName()) {
                i = readItem(block, i);
                block.expectItem = false;
            } else if (!t.isWord("LATERAL")) {
                block.expectItem = false;
            }
        }
        while (!blocks.isEmpty()) {
            finish(blocks.pop(), tokens.size());
        }
        if (!sawSelect) {
            throw new PlanParseException(Dialect.H2, "no SELECT in the plan text");
        }
    }

    /** Reads {@code "SCHEMA"."TABLE" ["ALIAS"] /* access *}{@code / [/* WHERE ... *}{@code /]}; returns its last index. */
    private int readItem(Block block, int i) throws PlanParseException {
        List<String> names = new ArrayList<>();
        names.add(tokens.get(i).value());
        while (next(i).isSymbol(".") && i + 2 < tokens.size() && tokens.get(i + 2).isName()) {
            names.add(tokens.get(i + 2).value());
            i += 2;
        }
        if (next(i).isSymbol("(")) {
            return i; // table function such as SYSTEM_RANGE(1, 10): no table to judge
        }
        String alias = null;
        Token after = next(i);
        if (after.kind() == Kind.QUOTED || (after.kind() == Kind.WORD && !NOT_ALIAS.contains(after.upper()))) {
            alias = after.value();
            i++;
        }
        String table = names.get(names.size() - 1);
        String schema = names.size() > 1 ? names.get(names.size() - 2) : null;
        if (next(i).kind() != Kind.COMMENT) {
            throw new PlanParseException(Dialect.H2, "table " + String.join(".", names)
                    + " is not followed by its access comment");
        }
        String access = tokens.get(++i).value();
        String pushed = null;
        if (next(i).kind() == Kind.COMMENT && next(i).value().regionMatches(true, 0, "WHERE", 0, 5)) {
            pushed = collapse(next(i).value().substring(5));
            i++;
        }
        block.items.add(new Item(schema, table, alias, access(access), pushed, block.items.isEmpty()));
        return i;
    }

    private static Access access(String comment) {
        if (comment.regionMatches(true, 0, "SELECT", 0, 6)) {
            return Access.OTHER; // a view or derived table printing its own plan
        }
        if (comment.endsWith(".tableScan")) {
            return Access.FULL_SCAN;
        }
        if (comment.contains(".tableScan:")) {
            return Access.INDEX; // _ROWID_ lookup or range
        }
        // An index: "PUBLIC.IDX_NAME" (whole index, e.g. for COUNT(*) or ORDER BY) or "PUBLIC.IDX_NAME: COND".
        return comment.matches("(?s)[\\w$\"]+(\\.[\\w$\"]+)*(:.*)?") ? Access.INDEX : Access.OTHER;
    }

    private void finish(Block block, int end) {
        int whereEnd = block.whereEnd >= 0 ? block.whereEnd : end;
        for (Item item : block.items) {
            String filter = item.pushedFilter();
            if (filter == null && block.whereStart >= 0) {
                filter = block.items.size() == 1 ? source(block.whereStart, whereEnd)
                        : ownConjuncts(block.whereStart, whereEnd, item);
            }
            scans.add(new ScanNode(item.schema(), item.table(), item.alias(), item.access(), -1, filter,
                    block.top && item.first() && stopsEarly));
        }
    }

    /**
     * The {@code AND} terms of a join's WHERE that name only {@code item}'s columns (qualified by its alias or
     * name), joined again with AND; {@code null} when there is none. Join conditions name two tables and drop out.
     */
    private String ownConjuncts(int from, int to, Item item) {
        List<String> own = new ArrayList<>();
        int depth = 0;
        int start = from;
        int pendingBetween = 0;
        for (int i = from; i <= to; i++) {
            Token t = i < to ? tokens.get(i) : null;
            if (t != null && t.isSymbol("(")) {
                depth++;
            } else if (t != null && t.isSymbol(")")) {
                depth--;
            } else if (t != null && depth == 0 && t.isWord("BETWEEN")) {
                pendingBetween++;
            } else if (t == null || (depth == 0 && t.isWord("AND"))) {
                if (t != null && pendingBetween > 0) {
                    pendingBetween--;
                    continue;
                }
                if (onlyQualifiedBy(start, i, item)) {
                    own.add(source(start, i));
                }
                start = i + 1;
            }
        }
        return own.isEmpty() ? null : String.join(" AND ", own);
    }

    private boolean onlyQualifiedBy(int from, int to, Item item) {
        boolean any = false;
        for (int i = from; i + 2 < to; i++) {
            if (tokens.get(i).isName() && tokens.get(i + 1).isSymbol(".")
                    && tokens.get(i + 2).isName() && !(i + 3 < to && tokens.get(i + 3).isSymbol("."))) {
                String qualifier = tokens.get(i).value();
                if (!qualifier.equalsIgnoreCase(item.alias() == null ? item.table() : item.alias())) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /** The source text of tokens {@code [from, to)} without comments, white space collapsed. */
    private String source(int from, int to) {
        StringBuilder sb = new StringBuilder();
        int pos = from < tokens.size() ? tokens.get(from).start() : text.length();
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            if (t.kind() == Kind.COMMENT) {
                sb.append(text, pos, t.start()).append(' ');
                pos = t.end();
            }
        }
        int end = to > from ? tokens.get(to - 1).end() : pos;
        sb.append(text, pos, Math.max(pos, end));
        String s = collapse(sb.toString());
        return s.isEmpty() ? null : s;
    }

    private static String collapse(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }

    private Token next(int i) {
        return i + 1 < tokens.size() ? tokens.get(i + 1) : new Token(Kind.SYMBOL, "", text.length());
    }
}
