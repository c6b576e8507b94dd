package com.example.invoicing;

import dev.querylens.spring.QueryLensScope;
import org.springframework.stereotype.Component;

/** What a {@code @Scheduled} job looks like; the test calls it directly instead of waiting for a schedule. */
@Component
public class InvoicingJob {
    private final InvoiceService service;

    public InvoicingJob(InvoiceService service) {
        this.service = service;
    }

    @QueryLensScope("nightly-invoicing")
    public int run() {
        return service.customerNamesLazily(InvoicingApplication.REGION).size();
    }
}
