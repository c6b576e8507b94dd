package dev.querylens.core;

import java.util.List;

/** One or more configuration values were rejected; the message names each key, its value and what is accepted. */
public final class InvalidConfigException extends IllegalArgumentException {
    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super("Invalid Querylens configuration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each rejected key with its value and what is accepted, one sentence each. */
    public List<String> problems() {
        return problems;
    }
}
