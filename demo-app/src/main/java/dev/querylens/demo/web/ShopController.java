package dev.querylens.demo.web;

import dev.querylens.demo.shop.CustomerDashboardService;
import dev.querylens.demo.shop.CustomerDashboardService.Dashboard;
import dev.querylens.demo.shop.OrderService;
import dev.querylens.demo.shop.OrderService.OrderDetail;
import dev.querylens.demo.shop.OrderService.OrderSummary;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The demo's endpoints: each problem beside its fix. */
@RestController
public class ShopController {

    private final OrderService orders;
    private final CustomerDashboardService dashboards;

    public ShopController(OrderService orders, CustomerDashboardService dashboards) {
        this.orders = orders;
        this.dashboards = dashboards;
    }

    /** What each endpoint shows. */
    @GetMapping("/")
    public Map<String, String> index() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("GET /orders/recent?limit=50", "N+1: the newest orders, each loading its customer and its lines lazily");
        m.put("GET /orders/recent-fixed?limit=50", "the same list with JOIN FETCH and one IN-list query: 2 statements");
        m.put("GET /orders/by-tracking/{code}", "sequential scan: filters on orders.tracking_code, which has no index");
        m.put("GET /orders/by-reference/{reference}", "the same search on orders.reference, which has an index");
        m.put("GET /customers/{id}/dashboard", "duplicates: four widgets look the same customer up four times");
        m.put("GET /customers/{id}/dashboard-fixed", "the same page with one lookup");
        m.put("GET /actuator/prometheus", "the application's metrics, Querylens' included when the agent is attached");
        return m;
    }

    @GetMapping("/orders/recent")
    public List<OrderSummary> recentOrders(@RequestParam(defaultValue = "50") int limit) {
        return orders.recentOrders(limit);
    }

    @GetMapping("/orders/recent-fixed")
    public List<OrderSummary> recentOrdersFixed(@RequestParam(defaultValue = "50") int limit) {
        return orders.recentOrdersFixed(limit);
    }

    @GetMapping("/orders/by-tracking/{code}")
    public OrderDetail byTrackingCode(@PathVariable String code) {
        return orders.byTrackingCode(code);
    }

    @GetMapping("/orders/by-reference/{reference}")
    public OrderDetail byReference(@PathVariable String reference) {
        return orders.byReference(reference);
    }

    @GetMapping("/customers/{id}/dashboard")
    public Dashboard dashboard(@PathVariable long id) {
        return dashboards.dashboard(id);
    }

    @GetMapping("/customers/{id}/dashboard-fixed")
    public Dashboard dashboardFixed(@PathVariable long id) {
        return dashboards.dashboardFixed(id);
    }
}
