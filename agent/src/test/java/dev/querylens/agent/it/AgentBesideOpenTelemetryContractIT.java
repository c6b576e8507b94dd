package dev.querylens.agent.it;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract with the OpenTelemetry Java agent attached before ours, to the same shop. Before the weaver described
 * types without a class file from their loaded classes, the interfaces that agent generates made every DataSource,
 * servlet and executor class it had touched fail to weave, and no statement was counted.
 */
class AgentBesideOpenTelemetryContractIT extends UnitOfWorkContract {

    @Override
    ContractApp start() throws Exception {
        return SpringShop.withAgentAfterOpenTelemetry();
    }

    @Test
    void bothAgentsInstrumentedTheSameClasses() {
        String log = app().diagnostics();
        assertTrue(log.contains("opentelemetry-javaagent - version:"), "the OpenTelemetry agent started first: " + log);
        assertFalse(log.contains("could not instrument"), log);
        assertEquals(0.0, meters().sum("querylens_internal_errors_total", s -> true));
    }
}
