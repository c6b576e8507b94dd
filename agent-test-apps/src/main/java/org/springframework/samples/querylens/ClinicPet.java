package org.springframework.samples.querylens;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;

@Entity
public class ClinicPet {
    @Id
    @GeneratedValue
    private Long id;
    private String name;
    @ManyToOne
    private ClinicOwner owner;

    protected ClinicPet() {
    }

    ClinicPet(String name, ClinicOwner owner) {
        this.name = name;
        this.owner = owner;
    }

    public String getName() {
        return name;
    }
}
