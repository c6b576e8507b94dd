package dev.querylens.testapps.spring;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@RestController
public class ShopController {

    private final OwnerRepository owners;
    /** Injected by its own type: the agent must leave the bean a HikariDataSource. */
    @Autowired
    private HikariDataSource dataSource;

    public ShopController(OwnerRepository owners) {
        this.owners = owners;
    }

    /** N+1: one SELECT of owners, then one SELECT of pets per owner. */
    @GetMapping("/owners")
    @Transactional(readOnly = true)
    public List<String> owners() {
        return owners.findAll().stream().map(o -> o.getName() + ":" + o.getPets().size()).toList();
    }

    /** One SELECT with a join. */
    @GetMapping("/owners/{ownerId}")
    @Transactional(readOnly = true)
    public Map<String, Object> owner(@PathVariable Long ownerId) {
        Owner o = owners.findWithPets(ownerId).orElseThrow();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", o.getName());
        out.put("pets", o.getPets().stream().map(Pet::getName).sorted().toList());
        return out;
    }

    /** Runs a query, then fails: the request's unit of work must still end, and its thread be clean. */
    @GetMapping("/boom")
    @Transactional(readOnly = true)
    public String boom() {
        long n = owners.count();
        throw new IllegalStateException("boom after counting " + n + " owners");
    }

    /** What the application sees of its DataSource with the agent attached. */
    @GetMapping("/pool")
    public Map<String, Object> pool() throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataSourceClass", dataSource.getClass().getName());
        out.put("unwrapSame", dataSource.unwrap(HikariDataSource.class) == dataSource);
        out.put("poolName", dataSource.getPoolName());
        out.put("totalConnections", dataSource.getHikariPoolMXBean().getTotalConnections());
        try (Connection c = dataSource.getConnection()) {
            out.put("connectionValid", c.isValid(2));
            out.put("connectionUnwrapsToH2", c.isWrapperFor(org.h2.jdbc.JdbcConnection.class));
        }
        return out;
    }
}
