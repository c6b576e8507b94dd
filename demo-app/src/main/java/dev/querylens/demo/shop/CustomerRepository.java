package dev.querylens.demo.shop;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.util.Optional;

public interface CustomerRepository extends JpaRepository<Customer, Long> {

    /** A query, not {@code findById}: it reaches the database every time it is called. */
    @Query("select c from Customer c where c.id = :id")
    Optional<Customer> findProfile(long id);
}
