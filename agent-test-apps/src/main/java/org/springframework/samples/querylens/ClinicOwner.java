package org.springframework.samples.querylens;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;

import java.util.ArrayList;
import java.util.List;

@Entity
public class ClinicOwner {
    @Id
    @GeneratedValue
    private Long id;
    private String name;
    @OneToMany(mappedBy = "owner", cascade = CascadeType.ALL)
    private List<ClinicPet> pets = new ArrayList<>();

    protected ClinicOwner() {
    }

    ClinicOwner(String name) {
        this.name = name;
    }

    void addPet(ClinicPet pet) {
        pets.add(pet);
    }

    public String getName() {
        return name;
    }

    /** The lazy collection itself, as PetClinic's view reads it. */
    public List<ClinicPet> getPets() {
        return pets;
    }
}
