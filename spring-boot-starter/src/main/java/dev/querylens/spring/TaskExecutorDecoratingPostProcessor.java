package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Carries the unit of work into the application's Spring executors: every {@code ThreadPoolTaskExecutor},
 * {@code SimpleAsyncTaskExecutor}, {@code ThreadPoolTaskScheduler} and {@code SimpleAsyncTaskScheduler} bean gets a
 * {@link QueryLensTaskDecorator} around the decorator it already has, before it is initialised (that is when it
 * takes its decorator). {@code @Async} methods and {@code CompletableFuture.supplyAsync(..., executor)} on such a
 * bean then run in the unit of the request that started them. An executor whose decorator is Spring's
 * {@code ContextPropagatingTaskDecorator} is left alone: it carries the unit through Querylens's
 * {@code ThreadLocalAccessor}. A bean Querylens cannot decorate is left as it was, with one log line.
 */
final class TaskExecutorDecoratingPostProcessor implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(TaskExecutorDecoratingPostProcessor.class);
    private static final String[] EXECUTORS = {
            "org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor",
            "org.springframework.core.task.SimpleAsyncTaskExecutor",
            "org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler",
            "org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler"};
    private static final String CONTEXT_PROPAGATING = "org.springframework.core.task.support.ContextPropagatingTaskDecorator";

    private final LazyQueryLens lens;

    TaskExecutorDecoratingPostProcessor(ObjectProvider<QueryLens> lens) {
        this.lens = new LazyQueryLens(lens);
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (!isSpringExecutor(bean.getClass())) {
            return bean;
        }
        try {
            Method setter = bean.getClass().getMethod("setTaskDecorator", TaskDecorator.class);
            Field field = ReflectionUtils.findField(bean.getClass(), "taskDecorator", TaskDecorator.class);
            TaskDecorator existing = null;
            if (field != null) {
                ReflectionUtils.makeAccessible(field);
                existing = (TaskDecorator) field.get(bean);
            } else {
                log.info("[querylens] cannot read the task decorator of executor bean '{}'; its tasks are not carried "
                        + "into the unit of work that submitted them", beanName);
                return bean;
            }
            if (existing instanceof QueryLensTaskDecorator || (existing != null
                    && existing.getClass().getName().equals(CONTEXT_PROPAGATING))) {
                return bean;
            }
            setter.invoke(bean, new QueryLensTaskDecorator(lens, existing));
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.info("[querylens] could not decorate executor bean '{}'; its tasks are not carried into the unit of "
                    + "work that submitted them ({})", beanName, e.toString());
        }
        return bean;
    }

    private static boolean isSpringExecutor(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (String name : EXECUTORS) {
                if (c.getName().equals(name)) {
                    return true;
                }
            }
        }
        return false;
    }
}
