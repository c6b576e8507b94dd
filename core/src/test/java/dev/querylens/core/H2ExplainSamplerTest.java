package dev.querylens.core;

import com.zaxxer.hikari.HikariDataSource;
import dev.querylens.core.testing.TestDatabases;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class H2ExplainSamplerTest extends ExplainSamplerTestBase {
    private static final String URL = "jdbc:h2:mem:qls_sampler;DB_CLOSE_DELAY=-1";

    @Override
    HikariDataSource pool(int size) {
        return TestDatabases.pool(URL, size);
    }

    @Override
    void createTable(Statement s, String table, int rows) throws SQLException {
        s.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, customer_id bigint NOT NULL,"
                + " status varchar(20) NOT NULL, total decimal(10,2) NOT NULL)");
        s.execute("INSERT INTO " + table + " SELECT x, MOD(x, 500), CASEWHEN(MOD(x, 100) = 0, 'NEW', 'DONE'), MOD(x, 97)"
                + " FROM SYSTEM_RANGE(1, " + rows + ")");
        s.execute("ANALYZE TABLE " + table);
    }

    @Override
    List<String> writesWithResults(String table) {
        return List.of("DELETE FROM " + table + " WHERE id = 2");
    }

    @Override
    void assertWritesHappenedOnce(String table) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM " + table + " WHERE id = 2),"
                     + " (SELECT total FROM " + table + " WHERE id = 1)")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "deleted once");
            assertEquals(2, rs.getInt(2), "id 1: total 1 + 1");
        }
    }
}
