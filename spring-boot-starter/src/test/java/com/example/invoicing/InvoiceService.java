package com.example.invoicing;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.List;

@Service
public class InvoiceService {
    private final InvoiceRepository invoices;

    public InvoiceService(InvoiceRepository invoices) {
        this.invoices = invoices;
    }

    /** N+1: one query for the invoices, then one per invoice for its customer. */
    @Transactional(readOnly = true)
    public List<String> customerNamesLazily(long regionId) {
        List<String> names = new ArrayList<>();
        for (Invoice invoice : invoices.findByRegionIdOrderById(regionId)) {
            names.add(invoice.getCustomer().getName());
        }
        return names;
    }

    /** The fix: one query with a join. */
    @Transactional(readOnly = true)
    public List<String> customerNamesJoined(long regionId) {
        List<String> names = new ArrayList<>();
        for (Invoice invoice : invoices.findWithCustomers(regionId)) {
            names.add(invoice.getCustomer().getName());
        }
        return names;
    }
}
