package org.springframework.samples.querylens;

import org.springframework.data.jpa.repository.JpaRepository;

public interface ClinicOwners extends JpaRepository<ClinicOwner, Long> {
}
