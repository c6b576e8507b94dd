package dev.querylens.testapps.work;

import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jms.listener.adapter.MessagingMessageListenerAdapter;
import org.springframework.kafka.listener.adapter.HandlerAdapter;
import org.springframework.kafka.listener.adapter.RecordMessagingMessageListenerAdapter;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.stereotype.Component;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spring Kafka's and Spring JMS's real listener adapters around a bean method, called as their listener containers
 * call them, on a thread of their own: this machine runs no Kafka or JMS broker, so the adapters get a real Kafka
 * {@code ConsumerRecord} and a JMS text message (a stand-in: JMS is only interfaces) from the queue
 * {@value #JMS_QUEUE}.
 */
@Component
public class ListenerAdapters {

    static final String KAFKA_TOPIC = "orders.kafka";
    static final String JMS_QUEUE = "orders.jms";

    private final Library library;
    final AtomicInteger handled = new AtomicInteger();

    public ListenerAdapters(Library library) {
        this.library = library;
    }

    /** The listener method both adapters call: the N+1. */
    public void onOrder(String order) {
        library.report();
        handled.incrementAndGet();
    }

    /** One Kafka record and one JMS message through the adapters, on a new thread; returns the orders handled. */
    int deliver() throws Exception {
        Method listener = ListenerAdapters.class.getMethod("onOrder", String.class);
        DefaultMessageHandlerMethodFactory factory = new DefaultMessageHandlerMethodFactory();
        factory.afterPropertiesSet();
        InvocableHandlerMethod handler = factory.createInvocableHandlerMethod(this, listener);

        RecordMessagingMessageListenerAdapter<String, String> kafka = new RecordMessagingMessageListenerAdapter<>(this, listener);
        kafka.setHandlerMethod(new HandlerAdapter(handler));
        MessagingMessageListenerAdapter jms = new MessagingMessageListenerAdapter();
        jms.setHandlerMethod(handler);

        Exception[] failure = new Exception[1];
        Thread consumer = new Thread(() -> {
            try {
                kafka.onMessage(new ConsumerRecord<>(KAFKA_TOPIC, 0, 0L, null, "order-1"), null, null);
                jms.onMessage(textMessage("order-2"), null);
            } catch (Exception e) {
                failure[0] = e;
            }
        }, "listener-adapters");
        consumer.start();
        consumer.join(60_000);
        if (failure[0] != null) {
            throw failure[0];
        }
        return handled.get();
    }

    private static TextMessage textMessage(String text) {
        Queue queue = (Queue) Proxy.newProxyInstance(Queue.class.getClassLoader(), new Class<?>[]{Queue.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getQueueName", "toString" -> JMS_QUEUE;
                    case "hashCode" -> 1;
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        return (TextMessage) Proxy.newProxyInstance(TextMessage.class.getClassLoader(), new Class<?>[]{TextMessage.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getText":
                            return text;
                        case "getJMSDestination":
                            return queue;
                        case "getPropertyNames":
                            return Collections.emptyEnumeration();
                        case "hashCode":
                            return 2;
                        case "equals":
                            return proxy == args[0];
                        case "toString":
                            return "TextMessage[" + text + "]";
                        default:
                            Class<?> r = method.getReturnType();
                            if (r == boolean.class) {
                                return false;
                            }
                            if (r == int.class) {
                                return 0;
                            }
                            if (r == long.class) {
                                return 0L;
                            }
                            return null;
                    }
                });
    }
}
