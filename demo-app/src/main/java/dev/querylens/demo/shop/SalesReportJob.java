package dev.querylens.demo.shop;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.List;

/**
 * A scheduled job beside its fix: every few seconds, the total of the newest orders, read the N+1 way
 * ({@link #lateOrders()}: each order's customer and lines loaded one by one) and the fixed way
 * ({@link #lateOrdersFixed()}: two statements). Querylens records each run as a unit of work of its own,
 * {@code SCHEDULED SalesReportJob.lateOrders}.
 */
@Component
public class SalesReportJob {
    private static final Logger log = LoggerFactory.getLogger(SalesReportJob.class);

    /** Orders each run reads. */
    static final int ORDERS = 20;

    private final OrderService orders;

    public SalesReportJob(OrderService orders) {
        this.orders = orders;
    }

    @Scheduled(initialDelayString = "${demo.jobs.initial-delay:2s}", fixedDelayString = "${demo.jobs.interval:3s}")
    public void lateOrders() {
        log.debug("sales report: {}", total(orders.recentOrders(ORDERS)));
    }

    @Scheduled(initialDelayString = "${demo.jobs.initial-delay:2s}", fixedDelayString = "${demo.jobs.interval:3s}")
    public void lateOrdersFixed() {
        log.debug("sales report (fixed): {}", total(orders.recentOrdersFixed(ORDERS)));
    }

    private static BigDecimal total(List<OrderService.OrderSummary> summaries) {
        return summaries.stream().map(OrderService.OrderSummary::total).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
