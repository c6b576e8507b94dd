package com.example.invoicing;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A small application as users write them (Spring MVC, Spring Data JPA, Hibernate, HikariCP, Actuator), with the
 * starter on its class path and nothing else from Querylens.
 */
@SpringBootApplication
public class InvoicingApplication {

    static final long REGION = 1;
    static final int INVOICES = 8;

    /** One region with eight invoices, each for a different customer. */
    @Bean
    ApplicationRunner seed(CustomerRepository customers, InvoiceRepository invoices) {
        return args -> {
            for (long i = 1; i <= INVOICES; i++) {
                Customer c = customers.save(new Customer(i, "customer-" + i));
                invoices.save(new Invoice(100 + i, REGION, "INV-" + i, c));
            }
        };
    }
}
