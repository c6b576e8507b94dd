package com.example.shop;

import org.hibernate.SessionFactory;

import java.util.ArrayList;
import java.util.List;

/** Application code as users write it: the lazy loop, and its fix. */
public final class OrderReport {
    private final SessionFactory sessions;

    public OrderReport(SessionFactory sessions) {
        this.sessions = sessions;
    }

    /** N+1: one query for the orders, then one per order for its customer. */
    public List<String> customerNamesLazily() {
        return sessions.fromTransaction(session -> {
            List<String> names = new ArrayList<>();
            for (PurchaseOrder order : session.createSelectionQuery("from PurchaseOrder order by id", PurchaseOrder.class).getResultList()) {
                names.add(order.getCustomer().getName());
            }
            return names;
        });
    }

    /** The fix: one query with a join. */
    public List<String> customerNamesJoined() {
        return sessions.fromTransaction(session -> {
            List<String> names = new ArrayList<>();
            for (PurchaseOrder order : session.createSelectionQuery(
                    "from PurchaseOrder o join fetch o.customer order by o.id", PurchaseOrder.class).getResultList()) {
                names.add(order.getCustomer().getName());
            }
            return names;
        });
    }
}
