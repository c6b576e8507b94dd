package dev.querylens.demo.shop;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.util.Collection;
import java.util.List;

public interface OrderLineRepository extends JpaRepository<OrderLine, Long> {

    /** The lines of many orders in one query ({@code order_id IN (...)}). */
    @Query("select l from OrderLine l where l.order in :orders")
    List<OrderLine> findByOrderIn(Collection<ShopOrder> orders);
}
