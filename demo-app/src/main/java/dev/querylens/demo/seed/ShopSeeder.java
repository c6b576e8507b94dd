package dev.querylens.demo.seed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Random;

/**
 * Makes the shop's schema and fills it before the application serves its first request: customers, products, tens of
 * thousands of orders with their lines and invoices, written with JDBC batches. On PostgreSQL the tables are then
 * analysed, so that the planner's estimates (and the plans Querylens samples) are those of a real database. The data
 * is the same on every start (a fixed random seed): order {@code n} has reference {@link #reference(long)} and
 * tracking code {@link #trackingCode(long)}.
 */
@Component
public class ShopSeeder implements SmartInitializingSingleton {
    private static final Logger log = LoggerFactory.getLogger(ShopSeeder.class);
    private static final int BATCH = 1_000;
    private static final String[] FIRST = {"Ada", "Alan", "Barbara", "Claude", "Donald", "Edsger", "Frances", "Grace",
            "Hedy", "Ivan", "Joan", "Ken", "Leslie", "Margaret", "Niklaus", "Radia", "Shafi", "Tim", "Whitfield", "Yukihiro"};
    private static final String[] LAST = {"Lovelace", "Turing", "Liskov", "Shannon", "Knuth", "Dijkstra", "Allen",
            "Hopper", "Lamarr", "Sutherland", "Clarke", "Thompson", "Lamport", "Hamilton", "Wirth", "Perlman",
            "Goldwasser", "Berners-Lee", "Diffie", "Matsumoto"};
    private static final String[] CITIES = {"Lyon", "Porto", "Ghent", "Graz", "Turku", "Bergen", "Aarhus", "Brno",
            "Cork", "Malaga", "Bologna", "Leipzig"};
    private static final String[] CATEGORIES = {"books", "kitchen", "garden", "toys", "music", "office", "sports",
            "lighting"};
    private static final String[] STATUSES = {"NEW", "PAID", "SHIPPED", "DELIVERED", "DELIVERED", "DELIVERED",
            "DELIVERED", "CANCELLED"};

    private final DataSource dataSource;
    private final int customers;
    private final int products;
    private final int orders;

    public ShopSeeder(DataSource dataSource,
                      @Value("${demo.seed.customers:5000}") int customers,
                      @Value("${demo.seed.products:500}") int products,
                      @Value("${demo.seed.orders:40000}") int orders) {
        this.dataSource = dataSource;
        this.customers = customers;
        this.products = products;
        this.orders = orders;
    }

    /** {@code ORD-0001234}: unique and indexed. */
    public static String reference(long orderId) {
        return String.format(Locale.ROOT, "ORD-%07d", orderId);
    }

    /** {@code 1Z0009772466}: unique, not indexed. */
    public static String trackingCode(long orderId) {
        return String.format(Locale.ROOT, "1Z%010d", orderId * 7919 + 13);
    }

    @Override
    public void afterSingletonsInstantiated() {
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
            if (postgres) {
                try (Statement s = c.createStatement()) {
                    // the URL's currentSchema names it; a first run has to make it
                    String schema = c.getSchema() == null ? "demo_shop" : c.getSchema();
                    s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                }
            }
            ScriptUtils.executeSqlScript(c, new ClassPathResource("db/schema.sql"));
            c.setAutoCommit(false);
            Random random = new Random(42);
            seedCustomers(c, random);
            seedProducts(c, random);
            long[] counts = seedOrders(c, random);
            c.commit();
            c.setAutoCommit(true);
            if (postgres) {
                try (Statement s = c.createStatement()) {
                    s.execute("ANALYZE customers, products, orders, order_lines, invoices");
                }
            }
            log.info("Seeded {} customers, {} products, {} orders, {} order lines, {} invoices in {} ms{}",
                    customers, products, orders, counts[0], counts[1], (System.nanoTime() - started) / 1_000_000,
                    postgres ? " (tables analysed)" : "");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not seed the shop's data: " + e.getMessage(), e);
        }
    }

    private void seedCustomers(Connection c, Random random) throws SQLException {
        LocalDateTime base = LocalDateTime.of(2021, 1, 1, 9, 0);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO customers (id, name, email, city, loyalty, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (long id = 1; id <= customers; id++) {
                ps.setLong(1, id);
                ps.setString(2, FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)]);
                ps.setString(3, "customer" + id + "@example.com");
                ps.setString(4, CITIES[random.nextInt(CITIES.length)]);
                int tier = random.nextInt(10);
                ps.setString(5, tier == 0 ? "GOLD" : tier < 3 ? "SILVER" : "BRONZE");
                ps.setTimestamp(6, Timestamp.valueOf(base.plusHours(random.nextInt(24 * 365))));
                add(ps, id);
            }
            ps.executeBatch();
        }
    }

    private void seedProducts(Connection c, Random random) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO products (id, sku, name, category, price) VALUES (?, ?, ?, ?, ?)")) {
            for (long id = 1; id <= products; id++) {
                String category = CATEGORIES[random.nextInt(CATEGORIES.length)];
                ps.setLong(1, id);
                ps.setString(2, String.format(Locale.ROOT, "SKU-%05d", id));
                ps.setString(3, category + " item " + id);
                ps.setString(4, category);
                ps.setBigDecimal(5, price(random));
                add(ps, id);
            }
            ps.executeBatch();
        }
    }

    /** Orders with 1 to 4 lines each and an invoice for each shipped or delivered one; returns {lines, invoices}. */
    private long[] seedOrders(Connection c, Random random) throws SQLException {
        LocalDateTime base = LocalDateTime.of(2023, 1, 1, 0, 0);
        long minutesPerOrder = Math.max(1, 2L * 365 * 24 * 60 / Math.max(1, orders));
        long lineId = 0;
        long invoiceId = 0;
        try (PreparedStatement order = c.prepareStatement("INSERT INTO orders (id, reference, tracking_code, customer_id,"
                + " status, created_at, total) VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement line = c.prepareStatement(
                     "INSERT INTO order_lines (id, order_id, product_id, quantity, unit_price) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement invoice = c.prepareStatement(
                     "INSERT INTO invoices (id, order_id, number, issued_at, amount, paid) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (long id = 1; id <= orders; id++) {
                LocalDateTime created = base.plusMinutes(id * minutesPerOrder + random.nextInt((int) minutesPerOrder));
                String status = STATUSES[random.nextInt(STATUSES.length)];
                BigDecimal total = BigDecimal.ZERO;
                int count = 1 + random.nextInt(4);
                long[] lineIds = new long[count];
                BigDecimal[] prices = new BigDecimal[count];
                int[] quantities = new int[count];
                for (int i = 0; i < count; i++) {
                    lineIds[i] = ++lineId;
                    prices[i] = price(random);
                    quantities[i] = 1 + random.nextInt(3);
                    total = total.add(prices[i].multiply(BigDecimal.valueOf(quantities[i])));
                }
                // an order's row goes in before its lines and invoice (foreign keys), batch by batch
                order.setLong(1, id);
                order.setString(2, reference(id));
                order.setString(3, trackingCode(id));
                order.setLong(4, 1 + random.nextInt(customers));
                order.setString(5, status);
                order.setTimestamp(6, Timestamp.valueOf(created));
                order.setBigDecimal(7, total);
                order.addBatch();
                for (int i = 0; i < count; i++) {
                    line.setLong(1, lineIds[i]);
                    line.setLong(2, id);
                    line.setLong(3, 1 + random.nextInt(products));
                    line.setInt(4, quantities[i]);
                    line.setBigDecimal(5, prices[i]);
                    line.addBatch();
                }
                if (status.equals("SHIPPED") || status.equals("DELIVERED")) {
                    invoiceId++;
                    invoice.setLong(1, invoiceId);
                    invoice.setLong(2, id);
                    invoice.setString(3, String.format(Locale.ROOT, "INV-%07d", invoiceId));
                    invoice.setTimestamp(4, Timestamp.valueOf(created.plusDays(1)));
                    invoice.setBigDecimal(5, total);
                    invoice.setBoolean(6, status.equals("DELIVERED") || random.nextBoolean());
                    invoice.addBatch();
                }
                if (id % BATCH == 0) {
                    order.executeBatch();
                    line.executeBatch();
                    invoice.executeBatch();
                }
            }
            order.executeBatch();
            line.executeBatch();
            invoice.executeBatch();
        }
        return new long[] {lineId, invoiceId};
    }

    private static void add(PreparedStatement ps, long id) throws SQLException {
        ps.addBatch();
        if (id % BATCH == 0) {
            ps.executeBatch();
        }
    }

    private static BigDecimal price(Random random) {
        return BigDecimal.valueOf(199 + random.nextInt(20_000)).movePointLeft(2).setScale(2, RoundingMode.UNNECESSARY);
    }
}
