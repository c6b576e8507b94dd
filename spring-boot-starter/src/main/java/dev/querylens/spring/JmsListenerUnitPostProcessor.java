package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import dev.querylens.core.UnitOfWork;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.NameMatchMethodPointcutAdvisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jms.config.JmsListenerContainerFactory;
import org.springframework.jms.listener.AbstractMessageListenerContainer;
import org.springframework.jms.listener.SessionAwareMessageListener;

import java.lang.reflect.Modifier;

/**
 * Makes each Spring JMS listener call a unit of work named {@code MESSAGE <queue or topic>}, by the destination the
 * message came from ({@code JMSDestination}). Advises {@code createListenerContainer} of every
 * {@link JmsListenerContainerFactory} bean (a class-based proxy: the bean keeps its type), and wraps the listener of
 * each container it makes, {@code @JmsListener} endpoints included.
 */
final class JmsListenerUnitPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

    JmsListenerUnitPostProcessor(ObjectProvider<QueryLens> lens) {
        NameMatchMethodPointcutAdvisor advisor = new NameMatchMethodPointcutAdvisor(new ContainerAdvice(new LazyQueryLens(lens)));
        advisor.setMappedName("createListenerContainer");
        this.advisor = advisor;
        setProxyTargetClass(true);
    }

    @Override
    protected boolean isEligible(Class<?> targetClass) {
        return JmsListenerContainerFactory.class.isAssignableFrom(targetClass)
                && !Modifier.isFinal(targetClass.getModifiers()) && super.isEligible(targetClass);
    }

    /** After a factory made a container: its listener runs each call as a unit of work. */
    private static final class ContainerAdvice implements MethodInterceptor {
        private final LazyQueryLens lens;

        ContainerAdvice(LazyQueryLens lens) {
            this.lens = lens;
        }

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            Object container = invocation.proceed();
            if (container instanceof AbstractMessageListenerContainer c && c.getMessageListener() != null
                    && !(c.getMessageListener() instanceof UnitListener)) {
                c.setupMessageListener(new UnitListener(lens, c.getMessageListener()));
            }
            return container;
        }
    }

    /** The container's listener, called inside a unit of work. */
    static final class UnitListener implements SessionAwareMessageListener<Message> {
        private final LazyQueryLens lens;
        private final Object listener;

        UnitListener(LazyQueryLens lens, Object listener) {
            this.lens = lens;
            this.listener = listener;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public void onMessage(Message message, Session session) throws JMSException {
            try (UnitOfWork work = MessageListenerUnits.begin(lens, () -> destination(message))) {
                if (listener instanceof SessionAwareMessageListener aware) {
                    aware.onMessage(message, session);
                } else {
                    ((MessageListener) listener).onMessage(message);
                }
            }
        }

        static String destination(Message message) {
            try {
                Destination d = message.getJMSDestination();
                if (d instanceof Queue q) {
                    return q.getQueueName();
                }
                if (d instanceof Topic t) {
                    return t.getTopicName();
                }
            } catch (JMSException | RuntimeException e) {
                // named as unknown
            }
            return null;
        }
    }
}
