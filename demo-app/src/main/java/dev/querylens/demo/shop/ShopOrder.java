package dev.querylens.demo.shop;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/** An order (table {@code orders}; the entity is not called {@code Order}, a JPQL keyword). */
@Entity(name = "ShopOrder")
@Table(name = "orders")
public class ShopOrder {
    @Id
    private Long id;
    /** Unique, indexed: {@code ORD-0001234}. */
    private String reference;
    /** The carrier's code: no index, on purpose. */
    @Column(name = "tracking_code")
    private String trackingCode;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "customer_id")
    private Customer customer;
    private String status;
    @Column(name = "created_at")
    private LocalDateTime createdAt;
    private BigDecimal total;
    @OneToMany(mappedBy = "order")
    private List<OrderLine> lines = new ArrayList<>();

    protected ShopOrder() {
    }

    public Long getId() {
        return id;
    }

    public String getReference() {
        return reference;
    }

    public String getTrackingCode() {
        return trackingCode;
    }

    public Customer getCustomer() {
        return customer;
    }

    public String getStatus() {
        return status;
    }

    public LocalDateTime getCreatedAt() {
        return createdAt;
    }

    public BigDecimal getTotal() {
        return total;
    }

    /** Lazy: touching it loads this order's lines with one query. */
    public List<OrderLine> getLines() {
        return lines;
    }
}
