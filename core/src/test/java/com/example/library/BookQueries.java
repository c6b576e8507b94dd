package com.example.library;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Application code outside Querylens's packages, so that findings name it as their call site. */
public final class BookQueries {

    private BookQueries() {
    }

    /** One book title of an author, one query. */
    public static void title(DataSource ds, int authorId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("select title from book where author_id = ?")) {
            ps.setInt(1, authorId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
