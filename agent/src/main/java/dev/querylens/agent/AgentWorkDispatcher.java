package dev.querylens.agent;

import dev.querylens.agent.hooks.WorkDispatcher;
import dev.querylens.core.CarriedUnit;
import dev.querylens.core.QueryLens;
import dev.querylens.core.UnitNames;
import dev.querylens.core.UnitOfWork;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The agent's side of {@link dev.querylens.agent.hooks.WorkHooks} and {@link dev.querylens.agent.hooks.TaskHooks}:
 * carries units of work into executors' tasks, and runs the units of scheduled jobs and message listeners. Reads
 * Spring's and the brokers' objects by reflection (methods looked up once per class), so the agent needs none of
 * their APIs. Steps aside with the request side when the application has Querylens of its own.
 */
final class AgentWorkDispatcher extends WorkDispatcher {

    /** Methods of an executor subclass that see the task as given: a wrapper there could break a cast. */
    private static final String[] TASK_HOOK_METHODS = {"beforeExecute", "afterExecute", "newTaskFor", "decorateTask"};

    /** Whether an executor class leaves the tasks it is given to the JDK's own code (see {@link #carriesInto}). */
    private static final ClassValue<Boolean> TRANSPARENT = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> c = type; c != null && c.getClassLoader() != null; c = c.getSuperclass()) {
                if (c.getName().startsWith("org.springframework.")) {
                    // Spring's executors override these hooks to call their own, which never cast the task
                    continue;
                }
                for (Method m : c.getDeclaredMethods()) {
                    for (String name : TASK_HOOK_METHODS) {
                        if (m.getName().equals(name) && !Modifier.isStatic(m.getModifiers())) {
                            return false;
                        }
                    }
                }
            }
            return true;
        }
    };

    /** {@code getTarget()} and {@code getMethod()} of {@code ScheduledMethodRunnable}. */
    private static final ClassValue<Method[]> SCHEDULED = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            try {
                return new Method[]{type.getMethod("getTarget"), type.getMethod("getMethod")};
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    };

    /** How to read the destination of a message of each class; {@code null} when it has none known. */
    private static final ClassValue<Method[]> DESTINATION = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            // Spring AMQP: message.getMessageProperties().getConsumerQueue()
            Method properties = method(type, "getMessageProperties");
            if (properties != null) {
                Method queue = method(properties.getReturnType(), "getConsumerQueue");
                return queue == null ? null : new Method[]{properties, queue};
            }
            // Kafka: record.topic()
            Method topic = method(type, "topic");
            if (topic != null && topic.getReturnType() == String.class) {
                return new Method[]{topic};
            }
            // JMS: message.getJMSDestination(), then getQueueName() or getTopicName() of the destination's class
            Method destination = method(type, "getJMSDestination");
            return destination == null ? null : new Method[]{destination};
        }
    };

    private final QueryLens lens;
    private final AgentDispatcher requests;
    private final AtomicBoolean errorLogged = new AtomicBoolean();

    AgentWorkDispatcher(QueryLens lens, AgentDispatcher requests) {
        this.lens = lens;
        this.requests = requests;
    }

    @Override
    public Object carry() {
        return requests.asideForApplicationsOwn() ? null : lens.carry();
    }

    @Override
    public Object attach(Object unit) {
        return lens.attach((CarriedUnit) unit);
    }

    @Override
    public void detach(Object scope) {
        ((CarriedUnit.Scope) scope).close();
    }

    @Override
    public boolean carriesInto(Object executor) {
        return TRANSPARENT.get(executor.getClass());
    }

    @Override
    public Object beginScheduledMethod(Object runnable) {
        if (requests.asideForApplicationsOwn()) {
            return null;
        }
        try {
            Method[] access = SCHEDULED.get(runnable.getClass());
            if (access == null) {
                return null;
            }
            Object target = access[0].invoke(runnable);
            Method method = (Method) access[1].invoke(runnable);
            Class<?> type = target == null || Proxy.isProxyClass(target.getClass()) ? method.getDeclaringClass() : target.getClass();
            return lens.begin(UnitNames.scheduled(type, method.getName()));
        } catch (Throwable t) {
            error("reading a @Scheduled method's class and name", t);
            return null;
        }
    }

    @Override
    public Object beginJob(Object job) {
        if (requests.asideForApplicationsOwn()) {
            return null;
        }
        return lens.begin(UnitNames.scheduled(job.getClass(), "execute"));
    }

    @Override
    public Object beginMessage(Object message) {
        if (requests.asideForApplicationsOwn()) {
            return null;
        }
        String destination = null;
        try {
            destination = destination(message);
        } catch (Throwable t) {
            error("reading a message's queue or topic", t);
        }
        return lens.begin(UnitNames.message(destination));
    }

    @Override
    public void end(Object unit) {
        if (unit instanceof UnitOfWork work) {
            work.close();
        }
    }

    /** The queue or topic {@code message} (or the first message of a batch) came from; {@code null} if unknown. */
    static String destination(Object message) throws ReflectiveOperationException {
        Object m = message;
        if (m instanceof List<?> batch) {
            m = batch.isEmpty() ? null : batch.get(0);
        } else if (m instanceof Iterable<?> records) {
            // Kafka's ConsumerRecords
            Iterator<?> it = records.iterator();
            m = it.hasNext() ? it.next() : null;
        }
        if (m == null) {
            return null;
        }
        Method[] access = DESTINATION.get(m.getClass());
        if (access == null) {
            return null;
        }
        Object value = m;
        for (Method step : access) {
            value = step.invoke(value);
            if (value == null) {
                return null;
            }
        }
        if (value instanceof String name) {
            return name;
        }
        // a JMS Destination: a Queue or a Topic
        Method name = method(value.getClass(), "getQueueName");
        if (name == null) {
            name = method(value.getClass(), "getTopicName");
        }
        return name == null ? null : (String) name.invoke(value);
    }

    /** A public no-argument method of {@code type}, callable even when the class itself is not public. */
    private static Method method(Class<?> type, String name) {
        try {
            Method m = type.getMethod(name);
            Class<?> declaring = publicDeclaring(type, m);
            return declaring == null ? m : declaring.getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** The public class or interface that declares {@code m}, so that a non-public implementation class can be called. */
    private static Class<?> publicDeclaring(Class<?> type, Method m) {
        if (Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
            return null;
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                try {
                    if (Modifier.isPublic(i.getModifiers())) {
                        i.getMethod(m.getName());
                        return i;
                    }
                } catch (NoSuchMethodException ignored) {
                    // not this one
                }
            }
        }
        return null;
    }

    private void error(String what, Throwable t) {
        if (errorLogged.compareAndSet(false, true)) {
            AgentLog.line("failed " + what + "; such units are recorded under a generic name (logged once)", t);
        }
    }
}
