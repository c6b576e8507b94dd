package dev.querylens.agent.it;

/** The contract with the agent attached to the Spring Boot shop (a real JVM started with {@code -javaagent}). */
class AgentContractIT extends UnitOfWorkContract {

    @Override
    ContractApp start() throws Exception {
        return SpringShop.withAgent();
    }
}
