package dev.querylens.testapps.work;

import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicInteger;

/** A {@code @RabbitListener} with the N+1, one unit of work per message. */
@Component
public class OrderListener {

    final AtomicInteger handled = new AtomicInteger();

    @RabbitListener(queues = "${work.queue}")
    public void onOrder(String order) {
        library.report();
        handled.incrementAndGet();
    }

    private final Library library;

    public OrderListener(Library library) {
        this.library = library;
    }
}
