package dev.querylens.core.detect;

/**
 * One detection rule. It watches each execution the {@link Detector} analyses and, when a unit of work ends,
 * names the finding for every statement that broke it. A new rule is one class implementing this interface plus
 * one line in {@link Rules#standard}; nothing else refers to a rule's class.
 */
public interface Rule {

    /** What the rule finds. */
    FindingKind kind();

    /**
     * On the statement path, after {@code stats} counted one more execution. Called until it returns true once per
     * statement and unit of work; must not block or allocate.
     *
     * @param sameValues how many times the statement has now run with exactly these values in the unit
     * @return true when the statement now breaks the rule
     */
    boolean breaks(StatementStats stats, int sameValues);

    /**
     * When the unit of work ends, the finding for a statement that broke the rule.
     *
     * @param endpoint the unit's endpoint as tagged (bounded)
     * @param table    the statement's table as tagged (bounded)
     * @param callSite where the application ran the statement when it broke the rule
     */
    Finding finding(StatementStats stats, String endpoint, String table, CallSite callSite);
}
