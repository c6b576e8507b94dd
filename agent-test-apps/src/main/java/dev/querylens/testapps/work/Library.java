package dev.querylens.testapps.work;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.List;

/**
 * Six authors with two books each (work-schema.sql and work-data.sql, run before the scheduler starts), read the N+1
 * way: one query for the authors, then one per author.
 */
@Repository
public class Library {

    private final JdbcTemplate jdbc;

    public Library(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The N+1: returns the number of books. */
    public int report() {
        int books = 0;
        for (Integer author : authors()) {
            books += books(author).size();
        }
        return books;
    }

    /** The query the N+1 loops over. */
    public List<Integer> authors() {
        return jdbc.queryForList("select id from author order by id", Integer.class);
    }

    public List<String> books(int author) {
        return jdbc.queryForList("select title from book where author_id = ?", String.class, author);
    }

    /** One statement that is no finding: counts the authors. */
    public int countAuthors() {
        Integer n = jdbc.queryForObject("select count(*) from author", Integer.class);
        return n == null ? 0 : n;
    }
}
