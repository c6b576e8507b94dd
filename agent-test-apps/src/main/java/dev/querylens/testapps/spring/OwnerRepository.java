package dev.querylens.testapps.spring;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import java.util.Optional;

public interface OwnerRepository extends JpaRepository<Owner, Long> {

    @Query("select distinct o from Owner o left join fetch o.pets where o.id = :id")
    Optional<Owner> findWithPets(@Param("id") Long id);
}
