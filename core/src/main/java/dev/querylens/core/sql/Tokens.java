package dev.querylens.core.sql;

import dev.querylens.core.sql.Token.Kind;

import java.util.List;

/**
 * The tokens of one SQL text, with the partner of every bracket found up front: the passes that read the tokens
 * skip a nested part in one step, which keeps each of them linear.
 */
final class Tokens {
    private final Token[] tokens;
    private final int[] partner;
    private final String problem;

    Tokens(List<Token> list) {
        tokens = list.toArray(new Token[0]);
        partner = new int[tokens.length];
        int[] open = new int[tokens.length];
        int depth = 0;
        String trouble = null;
        for (int i = 0; i < tokens.length; i++) {
            if (opens(i)) {
                open[depth++] = i;
            } else if (symbol(i, ")") || symbol(i, "]")) {
                if (depth > 0 && tokens[open[depth - 1]].text().equals(symbol(i, ")") ? "(" : "[")) {
                    int o = open[--depth];
                    partner[o] = i;
                    partner[i] = o;
                } else if (trouble == null) {
                    trouble = "unbalanced " + tokens[i].text() + " at offset " + tokens[i].start();
                }
            }
        }
        // An unclosed bracket runs to the end of the text.
        for (int d = 0; d < depth; d++) {
            partner[open[d]] = tokens.length;
        }
        if (depth > 0 && trouble == null) {
            trouble = "unclosed " + tokens[open[0]].text() + " at offset " + tokens[open[0]].start();
        }
        problem = trouble;
    }

    int size() {
        return tokens.length;
    }

    Token get(int i) {
        return tokens[i];
    }

    /** Unbalanced brackets, or {@code null}. */
    String problem() {
        return problem;
    }

    boolean word(int i, String word) {
        return i >= 0 && i < tokens.length && tokens[i].is(Kind.WORD, word);
    }

    boolean symbol(int i, String symbol) {
        return i >= 0 && i < tokens.length && tokens[i].is(Kind.SYMBOL, symbol);
    }

    boolean opens(int i) {
        return symbol(i, "(") || symbol(i, "[");
    }

    /** The index of the bracket closing the one at {@code open}, or {@link #size()} when it is never closed. */
    int close(int open) {
        return partner[open];
    }

    /** True when the bracket at {@code open} is closed before the end of the text. */
    boolean closed(int open) {
        return partner[open] < tokens.length;
    }
}
