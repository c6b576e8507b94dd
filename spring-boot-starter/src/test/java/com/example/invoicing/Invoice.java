package com.example.invoicing;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

@Entity
@Table(name = "qls_invoice")
public class Invoice {
    @Id
    private Long id;
    private Long regionId;
    private String number;
    @ManyToOne(fetch = FetchType.LAZY)
    private Customer customer;

    protected Invoice() {
    }

    public Invoice(Long id, Long regionId, String number, Customer customer) {
        this.id = id;
        this.regionId = regionId;
        this.number = number;
        this.customer = customer;
    }

    public Customer getCustomer() {
        return customer;
    }
}
