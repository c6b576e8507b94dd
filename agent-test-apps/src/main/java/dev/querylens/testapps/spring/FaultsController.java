package dev.querylens.testapps.spring;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * With {@code app.explain-faults=true}: statements whose text carries the markers of the fault agent
 * (dev.querylens.testapps.faults.FaultAgent), so that Querylens's fingerprinter or statement listener throws on
 * them when that agent is given. The answers are the application's own whether Querylens is there or not.
 */
@RestController
@ConditionalOnProperty(name = "app.explain-faults", havingValue = "true")
class FaultsController {

    private final DataSource dataSource;

    FaultsController(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @GetMapping("/faults/fingerprint")
    String fingerprint() throws SQLException {
        return "owners=" + count("select count(*) from owner /* querylens-fault:fingerprint */");
    }

    @GetMapping("/faults/listener")
    String listener() throws SQLException {
        return "pets=" + count("select count(*) from pet /* querylens-fault:listener */");
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
