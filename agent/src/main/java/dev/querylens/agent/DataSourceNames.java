package dev.querylens.agent;

import java.lang.ref.WeakReference;

/**
 * The name the agent gives a {@code DataSource} instance: {@code <SimpleClassName>@<identity hash in hex>}, per
 * instance because the EXPLAIN sampler takes connections of its own from it. Asked on every outermost
 * {@code getConnection}, so the names are kept in a small direct-mapped table by identity hash ({@value #SLOTS}
 * slots; a collision only builds the name again): no string is built per checkout, and each slot holds its
 * DataSource weakly, so an application's DataSource is never kept alive by the agent. Thread-safe without locks:
 * a slot is replaced as a whole, and a thread that does not see a slot another one just filled builds the same name.
 */
final class DataSourceNames {

    /** Slots of the table: a power of two. Applications have a handful of DataSources. */
    static final int SLOTS = 16;

    private static final ClassValue<String> CLASS_NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName();
        }
    };

    /** One DataSource, held weakly, and its name. */
    private static final class Named extends WeakReference<Object> {
        final String name;

        Named(Object dataSource, String name) {
            super(dataSource);
            this.name = name;
        }
    }

    private final Named[] slots = new Named[SLOTS];

    /** The name of {@code dataSource}; the same instance for the same DataSource as long as it keeps its slot. */
    String of(Object dataSource) {
        int hash = System.identityHashCode(dataSource);
        int slot = hash & (SLOTS - 1);
        Named named = slots[slot];
        if (named != null && named.get() == dataSource) {
            return named.name;
        }
        String name = CLASS_NAMES.get(dataSource.getClass()) + "@" + Integer.toHexString(hash);
        slots[slot] = new Named(dataSource, name);
        return name;
    }

    /** DataSources whose name is held (tests). */
    int held() {
        int n = 0;
        for (Named named : slots) {
            if (named != null && named.get() != null) {
                n++;
            }
        }
        return n;
    }
}
