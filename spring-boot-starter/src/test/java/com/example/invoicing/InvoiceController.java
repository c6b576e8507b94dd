package com.example.invoicing;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.concurrent.Callable;

@RestController
public class InvoiceController {
    private final InvoiceService service;

    public InvoiceController(InvoiceService service) {
        this.service = service;
    }

    @GetMapping("/regions/{regionId}/invoices")
    public List<String> customers(@PathVariable("regionId") long regionId) {
        return service.customerNamesLazily(regionId);
    }

    @GetMapping("/regions/{regionId}/invoices/joined")
    public List<String> customersJoined(@PathVariable("regionId") long regionId) {
        return service.customerNamesJoined(regionId);
    }

    /** Spring MVC async: the work runs on another thread, the response is written in an async dispatch. */
    @GetMapping("/regions/{regionId}/invoices/later")
    public Callable<List<String>> customersLater(@PathVariable("regionId") long regionId) {
        return () -> service.customerNamesJoined(regionId);
    }

    @GetMapping("/regions/{regionId}/invoices/broken")
    public List<String> broken(@PathVariable("regionId") long regionId) {
        service.customerNamesJoined(regionId);
        throw new IllegalStateException("the invoice printer is on fire");
    }
}
