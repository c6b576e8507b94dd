package com.example.invoicing;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Plain JDBC, no ORM: a filter on a column without an index, over a big table. */
@RestController
public class EventController {
    private final JdbcTemplate jdbc;

    public EventController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/events/{kind}/count")
    public Long count(@PathVariable("kind") String kind) {
        return jdbc.queryForObject("SELECT count(*) FROM qls_event WHERE kind = ?", Long.class, kind);
    }
}
