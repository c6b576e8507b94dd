package dev.querylens.demo.shop;

import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;

/**
 * A customer's dashboard: a header, the latest orders, the open invoices and a loyalty offer. The first version
 * lets each of the four widgets look the customer up again, as code grown widget by widget often does: the same
 * SELECT with the same value, four times in one request. The fixed version looks it up once and passes it on.
 */
@Service
@Transactional(readOnly = true)
public class CustomerDashboardService {

    public record Dashboard(String customer, String city, String loyalty, List<RecentOrder> recentOrders,
                            List<OpenInvoice> openInvoices, String offer) {
    }

    public record RecentOrder(String reference, String status, LocalDateTime createdAt, BigDecimal total) {
    }

    public record OpenInvoice(String number, LocalDateTime issuedAt, BigDecimal amount) {
    }

    private final CustomerRepository customers;
    private final OrderRepository orders;
    private final InvoiceRepository invoices;

    public CustomerDashboardService(CustomerRepository customers, OrderRepository orders, InvoiceRepository invoices) {
        this.customers = customers;
        this.orders = orders;
        this.invoices = invoices;
    }

    /** Duplicates: every widget loads the customer by itself. */
    public Dashboard dashboard(long customerId) {
        Customer header = customer(customerId);
        List<RecentOrder> recent = recentOrders(customer(customerId));
        List<OpenInvoice> open = openInvoices(customer(customerId));
        String offer = offer(customer(customerId));
        return new Dashboard(header.getName(), header.getCity(), header.getLoyalty(), recent, open, offer);
    }

    /** The same page with one lookup. */
    public Dashboard dashboardFixed(long customerId) {
        Customer customer = customer(customerId);
        return new Dashboard(customer.getName(), customer.getCity(), customer.getLoyalty(), recentOrders(customer),
                openInvoices(customer), offer(customer));
    }

    private Customer customer(long customerId) {
        return customers.findProfile(customerId).orElseThrow(OrderService::notFound);
    }

    private List<RecentOrder> recentOrders(Customer customer) {
        return orders.findRecentByCustomer(customer.getId(), Limit.of(5)).stream()
                .map(o -> new RecentOrder(o.getReference(), o.getStatus(), o.getCreatedAt(), o.getTotal()))
                .toList();
    }

    private List<OpenInvoice> openInvoices(Customer customer) {
        return invoices.findOpenByCustomer(customer.getId()).stream()
                .map(i -> new OpenInvoice(i.getNumber(), i.getIssuedAt(), i.getAmount()))
                .toList();
    }

    private static String offer(Customer customer) {
        return switch (customer.getLoyalty()) {
            case "GOLD" -> "Free express shipping on every order";
            case "SILVER" -> "10% off your next order";
            default -> "Free shipping over 50.00";
        };
    }
}
