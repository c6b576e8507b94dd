package dev.querylens.spring;

import dev.querylens.core.QueryLens;
import dev.querylens.core.UnitOfWork;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.config.AbstractRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.Method;
import java.util.List;

/**
 * Makes each Spring AMQP listener call a unit of work named {@code MESSAGE <queue>}, by the queue the message was
 * consumed from ({@code @RabbitListener} on several queues included); a batch listener's call is one unit, named by
 * its first message. Puts an advice first in the advice chain of every listener container factory and listener
 * container bean (before retry advice: one unit per delivery).
 */
final class RabbitListenerUnitPostProcessor implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(RabbitListenerUnitPostProcessor.class);

    private final LazyQueryLens lens;

    RabbitListenerUnitPostProcessor(ObjectProvider<QueryLens> lens) {
        this.lens = new LazyQueryLens(lens);
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof AbstractRabbitListenerContainerFactory<?> factory) {
            factory.setAdviceChain(withUnits(adviceChain(factory, beanName)));
        } else if (bean instanceof AbstractMessageListenerContainer container) {
            container.setAdviceChain(withUnits(adviceChain(container, beanName)));
        }
        return bean;
    }

    private Advice[] withUnits(Advice[] chain) {
        if (chain == null || chain.length == 0) {
            return new Advice[]{new UnitAdvice(lens)};
        }
        for (Advice a : chain) {
            if (a instanceof UnitAdvice) {
                return chain;
            }
        }
        Advice[] all = new Advice[chain.length + 1];
        all[0] = new UnitAdvice(lens);
        System.arraycopy(chain, 0, all, 1, chain.length);
        return all;
    }

    /** The chain the bean has: its getter is protected. */
    private static Advice[] adviceChain(Object bean, String beanName) {
        Method getter = ReflectionUtils.findMethod(bean.getClass(), "getAdviceChain");
        if (getter == null) {
            return null;
        }
        try {
            ReflectionUtils.makeAccessible(getter);
            return (Advice[]) getter.invoke(bean);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.info("[querylens] cannot read the advice chain of '{}'; its listener calls are units of work, its "
                    + "own advice is kept ({})", beanName, e.toString());
            return null;
        }
    }

    /** Around {@code ContainerDelegate.invokeListener(Channel, Object data)}: data is a Message or a list of them. */
    static final class UnitAdvice implements MethodInterceptor {
        private final LazyQueryLens lens;

        UnitAdvice(LazyQueryLens lens) {
            this.lens = lens;
        }

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            Object[] args = invocation.getArguments();
            if (!invocation.getMethod().getName().equals("invokeListener") || args.length < 2) {
                return invocation.proceed();
            }
            UnitOfWork work = MessageListenerUnits.begin(lens, () -> queue(args[1]));
            try {
                return invocation.proceed();
            } finally {
                FailOpen.end(work, "message-listener");
            }
        }

        static String queue(Object data) {
            Object first = data instanceof List<?> batch ? (batch.isEmpty() ? null : batch.get(0)) : data;
            return first instanceof Message m && m.getMessageProperties() != null
                    ? m.getMessageProperties().getConsumerQueue() : null;
        }
    }
}
