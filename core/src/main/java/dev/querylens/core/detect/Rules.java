package dev.querylens.core.detect;

import java.util.List;

/** The rules Querylens runs on every unit of work: the one place a rule is registered. */
public final class Rules {

    private Rules() {
    }

    /** The standard rules, in the order their findings are reported for one statement. */
    public static List<Rule> standard(RuleSettings settings) {
        return List.of(
                new NPlusOneRule(settings.nPlusOneThreshold()),
                new DuplicateRule(settings.duplicatesThreshold()),
                new UnbatchedWritesRule(settings.unbatchedWritesThreshold()));
    }
}
