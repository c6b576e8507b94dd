package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import dev.querylens.core.UnitOfWork;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.kafka.config.AbstractKafkaListenerContainerFactory;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.CompositeBatchInterceptor;
import org.springframework.kafka.listener.CompositeRecordInterceptor;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.Field;
import java.util.Iterator;
import java.util.function.Supplier;

/**
 * Makes each Spring Kafka listener call a unit of work named {@code MESSAGE <topic>}: a record listener's per record,
 * a batch listener's per batch (named by its first record's topic). Adds a record and a batch interceptor to every
 * listener container factory bean, first, beside the application's own.
 */
final class KafkaListenerUnitPostProcessor implements BeanPostProcessor {

    private final LazyQueryLens lens;

    KafkaListenerUnitPostProcessor(ObjectProvider<QueryLens> lens) {
        this.lens = new LazyQueryLens(lens);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof AbstractKafkaListenerContainerFactory factory) {
            RecordInterceptor record = (RecordInterceptor) field(factory, "recordInterceptor");
            if (!(record instanceof RecordUnits)) {
                factory.setRecordInterceptor(record == null ? new RecordUnits<>(lens)
                        : new CompositeRecordInterceptor(new RecordUnits<>(lens), record));
            }
            BatchInterceptor batch = (BatchInterceptor) field(factory, "batchInterceptor");
            if (!(batch instanceof BatchUnits)) {
                factory.setBatchInterceptor(batch == null ? new BatchUnits<>(lens)
                        : new CompositeBatchInterceptor(new BatchUnits<>(lens), batch));
            }
        }
        return bean;
    }

    /** The factory's interceptor: read from its field, which Spring Kafka 3.3 (Boot 3.5) has no getter for. */
    private static Object field(Object factory, String name) {
        Field f = ReflectionUtils.findField(factory.getClass(), name);
        if (f == null) {
            return null;
        }
        ReflectionUtils.makeAccessible(f);
        return ReflectionUtils.getField(f, factory);
    }

    /** The unit begun for the record or batch in progress on this thread, ended after it (or before the next). */
    private static final ThreadLocal<UnitOfWork> OPEN = new ThreadLocal<>();

    /** Never throws: the record or batch is handed on whatever happens here. */
    private static void begin(LazyQueryLens lens, Supplier<String> topic) {
        end();
        try {
            OPEN.set(MessageListenerUnits.begin(lens, topic));
        } catch (Throwable t) {
            FailOpen.report(null, "message-listener", t);
        }
    }

    private static void end() {
        try {
            UnitOfWork open = OPEN.get();
            if (open != null) {
                OPEN.remove();
                open.close();
            }
        } catch (Throwable t) {
            FailOpen.report(null, "message-listener", t);
        }
    }

    static final class RecordUnits<K, V> implements RecordInterceptor<K, V> {
        private final LazyQueryLens lens;

        RecordUnits(LazyQueryLens lens) {
            this.lens = lens;
        }

        @Override
        public ConsumerRecord<K, V> intercept(ConsumerRecord<K, V> record, Consumer<K, V> consumer) {
            begin(lens, record::topic);
            return record;
        }

        @Override
        public void afterRecord(ConsumerRecord<K, V> record, Consumer<K, V> consumer) {
            end();
        }

        @Override
        public void clearThreadState(Consumer<?, ?> consumer) {
            end();
        }
    }

    static final class BatchUnits<K, V> implements BatchInterceptor<K, V> {
        private final LazyQueryLens lens;

        BatchUnits(LazyQueryLens lens) {
            this.lens = lens;
        }

        @Override
        public ConsumerRecords<K, V> intercept(ConsumerRecords<K, V> records, Consumer<K, V> consumer) {
            begin(lens, () -> {
                Iterator<ConsumerRecord<K, V>> it = records.iterator();
                return it.hasNext() ? it.next().topic() : null;
            });
            return records;
        }

        @Override
        public void success(ConsumerRecords<K, V> records, Consumer<K, V> consumer) {
            end();
        }

        @Override
        public void failure(ConsumerRecords<K, V> records, Exception exception, Consumer<K, V> consumer) {
            end();
        }

        @Override
        public void clearThreadState(Consumer<?, ?> consumer) {
            end();
        }
    }
}
