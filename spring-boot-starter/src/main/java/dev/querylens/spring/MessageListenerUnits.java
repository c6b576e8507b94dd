package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import dev.querylens.core.UnitNames;
import dev.querylens.core.UnitOfWork;

/** Begins the unit of work of one message listener call: {@code MESSAGE <queue or topic>}. */
final class MessageListenerUnits {

    private MessageListenerUnits() {
    }

    /** A unit named by {@code destination} ({@code null}: unknown), or {@link UnitOfWork#NOOP} without Querylens. */
    static UnitOfWork begin(LazyQueryLens lens, String destination) {
        QueryLens l = lens.get();
        return l == null ? UnitOfWork.NOOP : l.begin(UnitNames.message(destination));
    }
}
