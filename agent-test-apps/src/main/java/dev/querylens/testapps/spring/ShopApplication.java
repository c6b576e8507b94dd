package dev.querylens.testapps.spring;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot 4 application with JPA on H2, HikariCP, Spring MVC and Actuator's Prometheus endpoint, started by
 * the agent's integration tests in a JVM of their own. Run with {@code --app.conflicts=true} it also exercises the
 * conflicting Byte Buddy and datasource-proxy versions that the test puts first on its class path.
 */
@SpringBootApplication
public class ShopApplication {

    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
        System.out.println("ShopApplication READY (java " + System.getProperty("java.version") + ")");
    }

    @Bean
    ApplicationRunner sampleData(OwnerRepository owners) {
        return args -> {
            for (int o = 1; o <= 6; o++) {
                Owner owner = new Owner("owner" + o);
                owner.addPet(new Pet("pet" + o + "a"));
                owner.addPet(new Pet("pet" + o + "b"));
                owners.save(owner);
            }
        };
    }
}
