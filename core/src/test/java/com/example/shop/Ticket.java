package com.example.shop;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** Ids from a sequence with allocationSize = 1: one sequence call per persisted row, as many applications map it. */
@Entity
@Table(name = "qlr_ticket")
public class Ticket {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "qlr_ticket_seq")
    @SequenceGenerator(name = "qlr_ticket_seq", sequenceName = "qlr_ticket_seq", allocationSize = 1)
    private Long id;
    private String status;

    protected Ticket() {
    }

    public Ticket(String status) {
        this.status = status;
    }

    public Long getId() {
        return id;
    }
}
