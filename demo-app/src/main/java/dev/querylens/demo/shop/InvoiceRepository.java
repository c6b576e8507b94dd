package dev.querylens.demo.shop;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.util.List;

public interface InvoiceRepository extends JpaRepository<Invoice, Long> {

    @Query("select i from Invoice i where i.order.customer.id = :customerId and i.paid = false order by i.issuedAt desc")
    List<Invoice> findOpenByCustomer(long customerId);
}
