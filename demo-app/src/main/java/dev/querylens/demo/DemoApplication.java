package dev.querylens.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small shop whose endpoints show, side by side, the problems Querylens finds and their fixes: an N+1 list, a
 * search on an unindexed column, a page that repeats one lookup. Run it with the Querylens agent attached
 * ({@code ./demo} at the repository root does it all).
 */
@SpringBootApplication
public class DemoApplication {

    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
    }
}
