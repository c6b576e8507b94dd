package dev.querylens.spring;

import dev.querylens.core.UnitNames;
import dev.querylens.core.UnitOfWork;

import java.util.function.Supplier;

/** Begins the unit of work of one message listener call: {@code MESSAGE <queue or topic>}. */
final class MessageListenerUnits {

    private MessageListenerUnits() {
    }

    /**
     * A unit named by the destination {@code destination} gives ({@code null}: unknown), or {@link UnitOfWork#NOOP}
     * without Querylens or when anything failed. Never throws.
     */
    static UnitOfWork begin(LazyQueryLens lens, Supplier<String> destination) {
        return FailOpen.begin(lens, "message-listener", () -> UnitNames.message(destination.get()));
    }
}
