package dev.querylens.agent.it;

/** The contract with the Querylens starter in the same Spring Boot shop, no agent. */
class StarterContractIT extends UnitOfWorkContract {

    @Override
    ContractApp start() throws Exception {
        return SpringShop.withStarter();
    }
}
