package dev.querylens.demo.shop;

import org.springframework.data.domain.Limit;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Orders: the N+1 list beside its fix, and the search by an unindexed column beside the one by an indexed column. */
@Service
@Transactional(readOnly = true)
public class OrderService {

    /** One row of the order list. */
    public record OrderSummary(String reference, String customer, String status, LocalDateTime createdAt,
                               int items, BigDecimal total) {
    }

    /** One order found by a search. */
    public record OrderDetail(String reference, String trackingCode, String customer, String status,
                              LocalDateTime createdAt, BigDecimal total) {
    }

    public static final int MAX_LIMIT = 200;

    private final OrderRepository orders;
    private final OrderLineRepository lines;

    public OrderService(OrderRepository orders, OrderLineRepository lines) {
        this.orders = orders;
        this.lines = lines;
    }

    /**
     * N+1: one query for the orders, then, for each order, one for its customer (a lazy many-to-one) and one for
     * its lines (a lazy collection): 1 + 2 &times; limit statements.
     */
    public List<OrderSummary> recentOrders(int limit) {
        List<ShopOrder> recent = orders.findRecent(Limit.of(bounded(limit)));
        List<OrderSummary> result = new ArrayList<>(recent.size());
        for (ShopOrder order : recent) {
            String customer = order.getCustomer().getName();
            int items = order.getLines().stream().mapToInt(OrderLine::getQuantity).sum();
            result.add(new OrderSummary(order.getReference(), customer, order.getStatus(), order.getCreatedAt(),
                    items, order.getTotal()));
        }
        return result;
    }

    /**
     * The same list in two statements: the orders with their customers ({@code JOIN FETCH}), then the lines of all
     * of them at once ({@code order_id IN (...)}).
     */
    public List<OrderSummary> recentOrdersFixed(int limit) {
        List<ShopOrder> recent = orders.findRecentWithCustomer(Limit.of(bounded(limit)));
        Map<Long, Integer> items = recent.isEmpty() ? Map.of() : lines.findByOrderIn(recent).stream()
                .collect(Collectors.groupingBy(l -> l.getOrder().getId(), Collectors.summingInt(OrderLine::getQuantity)));
        List<OrderSummary> result = new ArrayList<>(recent.size());
        for (ShopOrder order : recent) {
            result.add(new OrderSummary(order.getReference(), order.getCustomer().getName(), order.getStatus(),
                    order.getCreatedAt(), items.getOrDefault(order.getId(), 0), order.getTotal()));
        }
        return result;
    }

    /** Filters on {@code orders.tracking_code}, which has no index: the database reads the whole table. */
    public OrderDetail byTrackingCode(String trackingCode) {
        return detail(orders.findByTrackingCode(trackingCode).orElseThrow(OrderService::notFound));
    }

    /** Filters on {@code orders.reference}, which has a unique index: one index lookup. */
    public OrderDetail byReference(String reference) {
        return detail(orders.findByReference(reference).orElseThrow(OrderService::notFound));
    }

    private static OrderDetail detail(ShopOrder order) {
        return new OrderDetail(order.getReference(), order.getTrackingCode(), order.getCustomer().getName(),
                order.getStatus(), order.getCreatedAt(), order.getTotal());
    }

    private static int bounded(int limit) {
        return Math.max(1, Math.min(limit, MAX_LIMIT));
    }

    static ResponseStatusException notFound() {
        return new ResponseStatusException(HttpStatus.NOT_FOUND);
    }
}
