package dev.querylens.spring;

import dev.querylens.core.CarriedUnit;
import dev.querylens.core.QueryLens;
import dev.querylens.core.UnitOfWork;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.aopalliance.aop.Advice;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.jms.config.DefaultJmsListenerContainerFactory;
import org.springframework.jms.config.SimpleJmsListenerEndpoint;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.springframework.jms.listener.SessionAwareMessageListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's wiring for work beyond the request thread, branch by branch: executors carry the unit (around the
 * application's own decorator, or through Spring's context-propagating one), the context-propagation accessor lives
 * as long as the context, {@code @Scheduled} beans are proxied (a final class is not), and listener container
 * factories get the units' advice and interceptors beside the application's own.
 */
class WorkBeyondRequestsConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(QueryLensAutoConfiguration.class))
            .withUserConfiguration(Registry.class);

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    /** What the application's own decorator saw. */
    static final AtomicReference<String> DECORATED = new AtomicReference<>();

    @Configuration(proxyBeanMethods = false)
    static class Executors {
        @Bean
        ThreadPoolTaskExecutor withOwnDecorator() {
            ThreadPoolTaskExecutor e = new ThreadPoolTaskExecutor();
            e.setTaskDecorator(r -> {
                DECORATED.set("decorated");
                return r;
            });
            return e;
        }

        @Bean
        ThreadPoolTaskExecutor contextPropagating() {
            ThreadPoolTaskExecutor e = new ThreadPoolTaskExecutor();
            e.setTaskDecorator(new ContextPropagatingTaskDecorator());
            return e;
        }

        @Bean
        ThreadPoolTaskExecutor plain() {
            return new ThreadPoolTaskExecutor();
        }
    }

    /** On one of the executor's threads, the unit carried there (null when none). */
    private static CarriedUnit carriedTo(QueryLens lens, ThreadPoolTaskExecutor executor) throws Exception {
        return executor.submit(lens::carry).get(10, TimeUnit.SECONDS);
    }

    @Test
    void springExecutorsCarryTheUnitAroundTheApplicationsDecorator() {
        runner.withUserConfiguration(Executors.class).run(context -> {
            QueryLens lens = context.getBean(QueryLens.class);
            for (String name : List.of("withOwnDecorator", "contextPropagating", "plain")) {
                ThreadPoolTaskExecutor executor = context.getBean(name, ThreadPoolTaskExecutor.class);
                try (UnitOfWork work = lens.begin("GET /x")) {
                    CarriedUnit unit = lens.carry();
                    assertThat(carriedTo(lens, executor)).as(name).isSameAs(unit);
                }
                assertThat(carriedTo(lens, executor)).as(name + " outside any unit").isNull();
            }
            assertThat(DECORATED.get()).isEqualTo("decorated");
            // Spring's context-propagating decorator is kept: it carries the unit through the accessor
            java.lang.reflect.Field field = ReflectionUtils.findField(ThreadPoolTaskExecutor.class, "taskDecorator");
            ReflectionUtils.makeAccessible(field);
            Object decorator = ReflectionUtils.getField(field, context.getBean("contextPropagating"));
            assertThat(decorator).isInstanceOf(ContextPropagatingTaskDecorator.class);
        });
    }

    @Test
    void theAccessorIsRegisteredWhileTheContextLives() {
        Object[] key = new Object[1];
        runner.run(context -> {
            QueryLens lens = context.getBean(QueryLens.class);
            key[0] = context.getBean(QueryLensContextPropagation.class).key();
            assertThat(ContextRegistry.getInstance().getThreadLocalAccessors()).anyMatch(a -> a.key().equals(key[0]));
            Runnable[] wrapped = new Runnable[1];
            AtomicReference<CarriedUnit> seen = new AtomicReference<>();
            try (UnitOfWork work = lens.begin("GET /x")) {
                wrapped[0] = ContextSnapshotFactory.builder().build().captureAll().wrap(() -> seen.set(lens.carry()));
                Thread t = new Thread(wrapped[0]);
                t.start();
                t.join(10_000);
                assertThat(seen.get()).isSameAs(lens.carry());
            }
        });
        assertThat(ContextRegistry.getInstance().getThreadLocalAccessors()).noneMatch(a -> a.key().equals(key[0]));
    }

    @Test
    void withoutContextPropagationOnlyTheDecoratorCarries() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer.context"))
                .withUserConfiguration(Executors.class)
                .run(context -> {
                    assertThat(context).doesNotHaveBean(QueryLensContextPropagation.class);
                    QueryLens lens = context.getBean(QueryLens.class);
                    try (UnitOfWork work = lens.begin("GET /x")) {
                        assertThat(carriedTo(lens, context.getBean("plain", ThreadPoolTaskExecutor.class)))
                                .isSameAs(lens.carry());
                    }
                });
    }

    @Test
    void disabledWiresNothing() {
        runner.withUserConfiguration(Executors.class, Jobs.class).withPropertyValues("querylens.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(QueryLensContextPropagation.class);
                    assertThat(context).doesNotHaveBean(TaskExecutorDecoratingPostProcessor.class);
                    assertThat(AopUtils.isAopProxy(context.getBean(NightlyJob.class))).isFalse();
                });
    }

    public static class NightlyJob {
        private final AtomicReference<String> unit = new AtomicReference<>();
        private QueryLens lens;

        /** Called through the proxy, like every public method: reaches the target. */
        public void use(QueryLens lens) {
            this.lens = lens;
        }

        public String unit() {
            return unit.get();
        }

        @Scheduled(fixedDelay = 3_600_000, initialDelay = 3_600_000)
        public void run() {
            unit.set(lens.carry() == null ? null : lens.carry().endpoint());
        }
    }

    public static final class FinalJob {
        @Scheduled(fixedDelay = 3_600_000, initialDelay = 3_600_000)
        public void run() {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Jobs {
        @Bean
        NightlyJob nightlyJob() {
            return new NightlyJob();
        }

        @Bean
        FinalJob finalJob() {
            return new FinalJob();
        }
    }

    @Test
    void aScheduledMethodRunIsAUnitNamedByTheUsersClass() {
        runner.withUserConfiguration(Jobs.class).run(context -> {
            NightlyJob job = context.getBean(NightlyJob.class);
            assertThat(AopUtils.isCglibProxy(job)).isTrue();
            job.use(context.getBean(QueryLens.class));
            job.run();
            assertThat(job.unit()).isEqualTo("SCHEDULED NightlyJob.run");
            // a final class cannot be proxied: left as it is, the application starts
            assertThat(AopUtils.isAopProxy(context.getBean(FinalJob.class))).isFalse();
        });
    }

    /** The application's own interceptors, which must keep running. */
    static final AtomicReference<String> OWN = new AtomicReference<>();

    @Configuration(proxyBeanMethods = false)
    static class ListenerFactories {
        @Bean
        SimpleRabbitListenerContainerFactory rabbitListenerContainerFactory() {
            SimpleRabbitListenerContainerFactory f = new SimpleRabbitListenerContainerFactory();
            f.setAdviceChain((org.aopalliance.intercept.MethodInterceptor) invocation -> invocation.proceed());
            return f;
        }

        @Bean
        ConcurrentKafkaListenerContainerFactory<String, String> kafkaListenerContainerFactory() {
            ConcurrentKafkaListenerContainerFactory<String, String> f = new ConcurrentKafkaListenerContainerFactory<>();
            f.setRecordInterceptor((record, consumer) -> {
                OWN.set("record " + record.topic());
                return record;
            });
            return f;
        }
    }

    /** A private field of Spring's (Spring Kafka 3.3 has no getters for the interceptors). */
    private static Object read(Object target, String name) {
        java.lang.reflect.Field f = ReflectionUtils.findField(target.getClass(), name);
        ReflectionUtils.makeAccessible(f);
        return ReflectionUtils.getField(f, target);
    }

    @Test
    @SuppressWarnings({"unchecked", "deprecation"})
    void listenerFactoriesMakeEachCallAUnitBesideTheApplicationsOwnAdvice() throws Exception {
        runner.withUserConfiguration(ListenerFactories.class).run(context -> {
            QueryLens lens = context.getBean(QueryLens.class);

            SimpleRabbitListenerContainerFactory rabbit = context.getBean(SimpleRabbitListenerContainerFactory.class);
            Method getter = ReflectionUtils.findMethod(SimpleRabbitListenerContainerFactory.class, "getAdviceChain");
            ReflectionUtils.makeAccessible(getter);
            Advice[] chain = (Advice[]) getter.invoke(rabbit);
            assertThat(chain).hasSize(2);
            assertThat(chain[0]).isInstanceOf(RabbitListenerUnitPostProcessor.UnitAdvice.class);

            ConcurrentKafkaListenerContainerFactory<String, String> kafka =
                    context.getBean(ConcurrentKafkaListenerContainerFactory.class);
            RecordInterceptor<String, String> records = (RecordInterceptor<String, String>) read(kafka, "recordInterceptor");
            AtomicReference<String> inUnit = new AtomicReference<>();
            Thread consumer = new Thread(() -> {
                ConsumerRecord<String, String> record = new ConsumerRecord<>("orders.created", 0, 0L, null, "x");
                records.intercept(record, null);
                inUnit.set(lens.carry().endpoint());
                records.success(record, null);
                records.afterRecord(record, null);
                assertThat(lens.carry()).isNull();

                BatchInterceptor<String, String> batches = (BatchInterceptor<String, String>) read(kafka, "batchInterceptor");
                ConsumerRecords<String, String> batch = new ConsumerRecords<>(Map.of(new TopicPartition("orders.batched", 0),
                        List.of(new ConsumerRecord<>("orders.batched", 0, 0L, null, "y"))));
                batches.intercept(batch, null);
                inUnit.set(inUnit.get() + ", " + lens.carry().endpoint());
                batches.success(batch, null);
                assertThat(lens.carry()).isNull();
            });
            consumer.start();
            consumer.join(10_000);
            assertThat(inUnit.get()).isEqualTo("MESSAGE orders.created, MESSAGE orders.batched");
            assertThat(OWN.get()).isEqualTo("record orders.created");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class JmsFactory {
        @Bean
        DefaultJmsListenerContainerFactory jmsListenerContainerFactory() {
            DefaultJmsListenerContainerFactory f = new DefaultJmsListenerContainerFactory();
            // never connects: the containers it makes are not started here
            f.setConnectionFactory(proxy(jakarta.jms.ConnectionFactory.class, (p, m, a) -> {
                throw new UnsupportedOperationException(m.getName());
            }));
            f.setAutoStartup(false);
            return f;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, java.lang.reflect.InvocationHandler handler) {
        return (T) java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, handler);
    }

    @Test
    @SuppressWarnings("unchecked")
    void jmsListenerCallsAreUnitsNamedByTheirDestination() {
        runner.withUserConfiguration(JmsFactory.class).run(context -> {
            QueryLens lens = context.getBean(QueryLens.class);
            DefaultJmsListenerContainerFactory factory = context.getBean(DefaultJmsListenerContainerFactory.class);
            AtomicReference<String> seen = new AtomicReference<>();
            SimpleJmsListenerEndpoint endpoint = new SimpleJmsListenerEndpoint();
            endpoint.setId("orders");
            endpoint.setDestination("orders.jms");
            endpoint.setMessageListener(m -> seen.set(lens.carry().endpoint()));
            DefaultMessageListenerContainer container = factory.createListenerContainer(endpoint);

            jakarta.jms.Queue queue = proxy(jakarta.jms.Queue.class, (p, m, a) -> m.getName().equals("getQueueName") ? "orders.jms" : null);
            jakarta.jms.Message message = proxy(jakarta.jms.Message.class, (p, m, a) -> m.getName().equals("getJMSDestination") ? queue : null);
            ((SessionAwareMessageListener<jakarta.jms.Message>) container.getMessageListener()).onMessage(message, null);
            assertThat(seen.get()).isEqualTo("MESSAGE orders.jms");
            assertThat(lens.carry()).as("the unit ended with the call").isNull();
        });
    }
}
