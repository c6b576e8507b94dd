package com.example.shop;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

@Entity
@Table(name = "qlc_purchase_order")
public class PurchaseOrder {
    @Id
    private Long id;
    private String number;
    @ManyToOne(fetch = FetchType.LAZY)
    private Customer customer;

    protected PurchaseOrder() {
    }

    public PurchaseOrder(Long id, String number, Customer customer) {
        this.id = id;
        this.number = number;
        this.customer = customer;
    }

    public Customer getCustomer() {
        return customer;
    }
}
