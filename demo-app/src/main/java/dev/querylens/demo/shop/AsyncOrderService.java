package dev.querylens.demo.shop;

import dev.querylens.demo.shop.OrderService.OrderSummary;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The order list built on Spring's task executor ({@code @Async}), as a page that gathers its parts in parallel
 * would: Querylens counts the statements in the request that started the work, not under {@code none}.
 */
@Service
public class AsyncOrderService {

    private final OrderService orders;

    public AsyncOrderService(OrderService orders) {
        this.orders = orders;
    }

    /** The N+1 list, on another thread. */
    @Async
    public CompletableFuture<List<OrderSummary>> recentOrders(int limit) {
        return CompletableFuture.completedFuture(orders.recentOrders(limit));
    }

    /** The fixed list, on another thread. */
    @Async
    public CompletableFuture<List<OrderSummary>> recentOrdersFixed(int limit) {
        return CompletableFuture.completedFuture(orders.recentOrdersFixed(limit));
    }
}
