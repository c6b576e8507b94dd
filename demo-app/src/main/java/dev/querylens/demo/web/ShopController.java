package dev.querylens.demo.web;

import dev.querylens.demo.shop.AsyncOrderService;
import dev.querylens.demo.shop.CustomerDashboardService;
import dev.querylens.demo.shop.CustomerDashboardService.Dashboard;
import dev.querylens.demo.shop.OrderNotesService;
import dev.querylens.demo.shop.OrderService;
import dev.querylens.demo.shop.OrderService.OrderDetail;
import dev.querylens.demo.shop.OrderService.OrderSummary;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
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
    private final AsyncOrderService asyncOrders;
    private final OrderNotesService notes;

    public ShopController(OrderService orders, CustomerDashboardService dashboards, AsyncOrderService asyncOrders,
                          OrderNotesService notes) {
        this.orders = orders;
        this.dashboards = dashboards;
        this.asyncOrders = asyncOrders;
        this.notes = notes;
    }

    /** What each endpoint shows. */
    @GetMapping("/")
    public Map<String, String> index() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("GET /orders/recent?limit=50", "N+1: the newest orders, each loading its customer and its lines lazily");
        m.put("GET /orders/recent-fixed?limit=50", "the same list with JOIN FETCH and one IN-list query: 2 statements");
        m.put("GET /orders/recent-async?limit=50", "N+1 on another thread (@Async): counted in this request all the same");
        m.put("GET /orders/recent-async-fixed?limit=50", "the fixed list on another thread: 2 statements");
        m.put("SCHEDULED SalesReportJob.lateOrders", "a job every 3 s (not a URL): N+1 over the 20 newest orders");
        m.put("SCHEDULED SalesReportJob.lateOrdersFixed", "the same job with the fixed query: 2 statements a run");
        m.put("GET /orders/by-tracking/{code}", "sequential scan: filters on orders.tracking_code, which has no index");
        m.put("GET /orders/by-reference/{reference}", "the same search on orders.reference, which has an index");
        m.put("GET /customers/{id}/dashboard", "duplicates: four widgets look the same customer up four times");
        m.put("GET /customers/{id}/dashboard-fixed", "the same page with one lookup");
        m.put("POST /orders/{id}/checklist?notes=10", "unbatched writes: one INSERT per note");
        m.put("POST /orders/{id}/checklist-fixed?notes=10", "the same notes in one JDBC batch");
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

    @GetMapping("/orders/recent-async")
    public List<OrderSummary> recentOrdersAsync(@RequestParam(defaultValue = "50") int limit) {
        return asyncOrders.recentOrders(limit).join();
    }

    @GetMapping("/orders/recent-async-fixed")
    public List<OrderSummary> recentOrdersAsyncFixed(@RequestParam(defaultValue = "50") int limit) {
        return asyncOrders.recentOrdersFixed(limit).join();
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

    @PostMapping("/orders/{id}/checklist")
    public Map<String, Integer> checklist(@PathVariable long id, @RequestParam(defaultValue = "10") int notes) {
        return Map.of("written", this.notes.addChecklist(id, notes));
    }

    @PostMapping("/orders/{id}/checklist-fixed")
    public Map<String, Integer> checklistFixed(@PathVariable long id, @RequestParam(defaultValue = "10") int notes) {
        return Map.of("written", this.notes.addChecklistBatched(id, notes));
    }
}
