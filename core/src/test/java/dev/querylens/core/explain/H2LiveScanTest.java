package dev.querylens.core.explain;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Embedded H2, in memory. */
class H2LiveScanTest extends LiveScanTestBase {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:mem:livescan;DB_CLOSE_DELAY=-1");
    }


}
