package dev.querylens.testapps.work;

import org.springframework.amqp.core.Queue;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * A Spring Boot 4 application whose SQL runs beyond the request thread: an {@code @Async} method, a
 * {@code CompletableFuture.supplyAsync} on an executor, tasks fanned out to a pool, a task that outlives its
 * request, a {@code @Scheduled} job and a {@code @RabbitListener} on this machine's RabbitMQ. Each runs the same
 * N+1 (a query per author). Started by the tests with {@code --spring.config.name=work}, once with the agent and
 * once with the starter.
 */
@SpringBootApplication
@EnableAsync
@EnableScheduling
public class WorkApplication {

    public static void main(String[] args) {
        SpringApplication.run(WorkApplication.class, args);
        System.out.println("WorkApplication READY (java " + System.getProperty("java.version") + ")");
    }

    /** The pool the controllers hand work to, as a Spring {@code TaskExecutor}. */
    @Bean
    ThreadPoolTaskExecutor reportExecutor() {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(4);
        executor.setMaxPoolSize(4);
        executor.setThreadNamePrefix("report-");
        return executor;
    }

    /** Non-durable and deleted with its last consumer: nothing a stopped run left behind is consumed later. */
    @Bean
    Queue ordersQueue(@Value("${work.queue}") String name) {
        return new Queue(name, false, false, true);
    }
}
