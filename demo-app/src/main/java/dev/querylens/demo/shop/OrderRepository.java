package dev.querylens.demo.shop;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.util.List;
import java.util.Optional;

public interface OrderRepository extends JpaRepository<ShopOrder, Long> {

    /** The newest orders; their customers and lines stay lazy. */
    @Query("select o from ShopOrder o order by o.createdAt desc, o.id desc")
    List<ShopOrder> findRecent(Limit limit);

    /** The newest orders with their customers in the same query. */
    @Query("select o from ShopOrder o join fetch o.customer order by o.createdAt desc, o.id desc")
    List<ShopOrder> findRecentWithCustomer(Limit limit);

    /** {@code tracking_code} has no index: on a big table this is a full scan. */
    Optional<ShopOrder> findByTrackingCode(String trackingCode);

    /** {@code reference} has a unique index. */
    Optional<ShopOrder> findByReference(String reference);

    @Query("select o from ShopOrder o where o.customer.id = :customerId order by o.createdAt desc, o.id desc")
    List<ShopOrder> findRecentByCustomer(long customerId, Limit limit);
}
