package dev.querylens.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A small shop whose endpoints show, side by side, the problems Querylens finds and their fixes: an N+1 list, a
 * search on an unindexed column, a page that repeats one lookup, the N+1 list on another thread ({@code @Async}) and in
 * a scheduled job. Run it with the Querylens agent attached
 * ({@code ./demo} at the repository root does it all).
 */
@SpringBootApplication
@EnableAsync
@EnableScheduling
public class DemoApplication {

    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
    }
}
