package org.springframework.samples.querylens;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application shaped like Spring PetClinic: its own code lives under {@code org.springframework.samples},
 * its owner list is a Thymeleaf view that reads each owner's lazy pets while it renders (open session in view), so
 * the N+1 happens with no controller frame on the stack.
 */
@SpringBootApplication
public class PetClinicApplication {

    public static void main(String[] args) {
        SpringApplication.run(PetClinicApplication.class, args);
        System.out.println("PetClinicApplication READY (java " + System.getProperty("java.version") + ")");
    }

    @Bean
    ApplicationRunner sampleOwners(ClinicOwners owners) {
        return args -> {
            for (int o = 1; o <= 6; o++) {
                ClinicOwner owner = new ClinicOwner("owner" + o);
                owner.addPet(new ClinicPet("pet" + o + "a", owner));
                owner.addPet(new ClinicPet("pet" + o + "b", owner));
                owners.save(owner);
            }
        };
    }
}
