package com.example.invoicing;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A small application as users write them (Spring MVC, Spring Data JPA, Hibernate, HikariCP, Actuator), with the
 * starter on its class path and nothing else from Querylens.
 */
@SpringBootApplication
public class InvoicingApplication {

    /** Runs the application on its own, for trying it by hand. */
    public static void main(String[] args) {
        SpringApplication.run(InvoicingApplication.class, args);
    }

    static final long REGION = 1;
    static final int INVOICES = 8;

    static final int EVENTS = 20_000;
    static final int RARE_EVENTS = 20;

    /**
     * One region with eight invoices, each for a different customer; and an event table big enough (20,000 rows,
     * analysed) for a scan of it to be worth an index, with no index on {@code kind}.
     */
    @Bean
    ApplicationRunner seed(CustomerRepository customers, InvoiceRepository invoices, JdbcTemplate jdbc) {
        return args -> {
            for (long i = 1; i <= INVOICES; i++) {
                Customer c = customers.save(new Customer(i, "customer-" + i));
                invoices.save(new Invoice(100 + i, REGION, "INV-" + i, c));
            }
            jdbc.execute("CREATE TABLE qls_event (id BIGINT PRIMARY KEY, kind VARCHAR(20) NOT NULL, payload VARCHAR(100))");
            jdbc.update("INSERT INTO qls_event (id, kind, payload) SELECT g, CASE WHEN g % " + (EVENTS / RARE_EVENTS)
                    + " = 0 THEN 'rare' ELSE 'common' END, 'payload ' || g FROM generate_series(1, " + EVENTS + ") g");
            jdbc.execute("ANALYZE qls_event");
        };
    }
}
