package com.example.invoicing;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import java.util.List;

public interface InvoiceRepository extends JpaRepository<Invoice, Long> {

    List<Invoice> findByRegionIdOrderById(Long regionId);

    @Query("select i from Invoice i join fetch i.customer where i.regionId = :regionId order by i.id")
    List<Invoice> findWithCustomers(@Param("regionId") Long regionId);
}
