package dev.querylens.testapps.spring;

import dev.querylens.core.StatementObserver;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code app.explain-faults=true} and the starter on the class path: a {@link StatementObserver} of the
 * application's that throws on every statement. Kept apart from {@link FaultsConfiguration}, which the agent-only
 * class path (without Querylens's core) also reads.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "app.explain-faults", havingValue = "true")
@ConditionalOnClass(name = "dev.querylens.core.StatementObserver")
class FaultyObserverConfiguration {

    @Bean
    StatementObserver throwingObserver() {
        return new ThrowingObserver();
    }

    static final class ThrowingObserver implements StatementObserver {
        @Override
        public void onStatement(String endpoint, dev.querylens.core.sql.ParsedSql sql,
                                net.ttddyy.dsproxy.ExecutionInfo execution, net.ttddyy.dsproxy.QueryInfo query) {
            throw new IllegalStateException("injected: the application's statement observer fails");
        }
    }
}
