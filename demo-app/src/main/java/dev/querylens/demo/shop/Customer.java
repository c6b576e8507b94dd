package dev.querylens.demo.shop;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDateTime;

@Entity
@Table(name = "customers")
public class Customer {
    @Id
    private Long id;
    private String name;
    private String email;
    private String city;
    private String loyalty;
    @Column(name = "created_at")
    private LocalDateTime createdAt;

    protected Customer() {
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getEmail() {
        return email;
    }

    public String getCity() {
        return city;
    }

    public String getLoyalty() {
        return loyalty;
    }

    public LocalDateTime getCreatedAt() {
        return createdAt;
    }
}
