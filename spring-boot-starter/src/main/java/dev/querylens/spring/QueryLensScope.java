package dev.querylens.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes each call of the annotated method (or of every public method of the annotated class) one unit of work,
 * for code that no HTTP request runs: {@code @Scheduled} jobs, message listeners, batch steps.
 *
 * <pre>{@code
 * @Scheduled(cron = "0 0 2 * * *")
 * @QueryLensScope("nightly-invoicing")
 * public void invoice() { ... }
 * }</pre>
 *
 * A call made while a unit of work is already open on the thread (inside an HTTP request, or another scope) joins
 * that unit. Works on Spring beans called through their proxy, like {@code @Transactional}: a call from within the
 * same object is not intercepted.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface QueryLensScope {

    /**
     * The endpoint name the unit is recorded under, e.g. {@code nightly-invoicing}. Empty: the simple class name and
     * the method name, e.g. {@code InvoiceJob.invoice}. Keep names few: each is a tag value.
     */
    String value() default "";
}
