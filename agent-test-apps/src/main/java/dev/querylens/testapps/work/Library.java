package dev.querylens.testapps.work;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.List;

/** Six authors with two books each, read the N+1 way: one query for the authors, then one per author. */
@Repository
public class Library {

    static final int AUTHORS = 6;
    /** What {@link #report()} runs: the authors, then one query per author. */
    static final int REPORT_STATEMENTS = 1 + AUTHORS;

    private final JdbcTemplate jdbc;

    public Library(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void createAndFill() {
        jdbc.execute("create table author (id int primary key, name varchar(50))");
        jdbc.execute("create table book (id int primary key, author_id int, title varchar(50))");
        for (int a = 1; a <= AUTHORS; a++) {
            jdbc.update("insert into author values (?, ?)", a, "author" + a);
            for (int b = 0; b < 2; b++) {
                jdbc.update("insert into book values (?, ?, ?)", a * 10 + b, a, "book" + a + b);
            }
        }
    }

    /** The N+1: returns the number of books. */
    public int report() {
        int books = 0;
        for (Integer author : jdbc.queryForList("select id from author order by id", Integer.class)) {
            books += books(author).size();
        }
        return books;
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
