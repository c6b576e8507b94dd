package dev.querylens.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Names of scheduled jobs and message listeners: the user's class, bounded destinations. */
class UnitNamesTest {

    static class NightlyReport {
    }

    /** What Spring's CGLIB makes of a proxied bean class. */
    static class NightlyReport$$SpringCGLIB$$0 extends NightlyReport {
    }

    @Test
    void aProxiedJobIsNamedByTheUsersClass() {
        assertEquals("SCHEDULED NightlyReport.run", UnitNames.scheduled(NightlyReport$$SpringCGLIB$$0.class, "run"));
        assertEquals("SCHEDULED NightlyReport.run", UnitNames.scheduled(NightlyReport.class, "run"));
        assertEquals(NightlyReport.class, UnitNames.userClass(NightlyReport$$SpringCGLIB$$0.class));
    }

    @Test
    void destinationsKeepTheirNamesAndLoseTheirIdentifiers() {
        assertEquals("MESSAGE orders.created", UnitNames.message("orders.created"));
        assertEquals("MESSAGE orders-v2", UnitNames.message("orders-v2"));
        assertEquals("MESSAGE invoices2024", UnitNames.message("invoices2024"));
        assertEquals("MESSAGE amq.gen-{id}-{id}", UnitNames.message("amq.gen-JzTY20BRgKO-HjmUJj0wLg"));
        assertEquals("MESSAGE replies.{id}", UnitNames.message("replies.12345"));
        assertEquals("MESSAGE {id}", UnitNames.message("3f2b8c1e-9d4a-4e6b-8f00-1a2b3c4d5e6f"));
        assertEquals("MESSAGE ID:host-{id}-{id}-{id}:{id}:{id}", UnitNames.message("ID:host-12345-1699999999-1:1:1"));
        assertEquals("MESSAGE unknown", UnitNames.message(null));
        assertEquals("MESSAGE unknown", UnitNames.message("  "));
        assertEquals(UnitNames.MESSAGE.length() + UnitNames.MAX_DESTINATION_LENGTH, UnitNames.message("q".repeat(500)).length());
    }
}
