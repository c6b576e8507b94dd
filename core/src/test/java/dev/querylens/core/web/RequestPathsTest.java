package dev.querylens.core.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestPathsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/actuator/health|/actuator/health",
            "/actuator;x/health|/actuator/health",
            "/actuator;jsessionid=ABC/health;v=1|/actuator/health",
            "//actuator/health|/actuator/health",
            "/./actuator/./health|/actuator/health",
            "/shop/../actuator/health|/actuator/health",
            "/../../actuator|/actuator",
            "/%61ctuator/health|/actuator/health",
            "/%2561ctuator|/%61ctuator",
            "/actuator%2Fhealth|/actuator/health",
            "/actuator%2fhealth|/actuator/health",
            "/people/Jos%C3%A9|/people/José",
            "/bad/%zz|/bad/%zz",
            "/bad/%C3|/bad/%C3",
            "/owners/|/owners/",
            "''|/",
            "/|/",
            "actuator/health|/actuator/health",
    })
    void normalises(String path, String expected) {
        assertEquals(expected, RequestPaths.normalize(path));
    }

    @Test
    void aNormalPathIsReturnedAsItIs() {
        String path = "/owners/42/pets";
        assertSame(path, RequestPaths.normalize(path));
    }

    @Test
    void contextPathIsRemovedAfterNormalising() {
        assertEquals("/actuator/health", RequestPaths.withinApplication("/shop//actuator/health", "/shop"));
        assertEquals("/actuator/health", RequestPaths.withinApplication("/shop;x=1/actuator/health", "/shop"));
        assertEquals("/", RequestPaths.withinApplication("/shop", "/shop"));
        assertEquals("/shopping/cart", RequestPaths.withinApplication("/shopping/cart", "/shop"));
        assertEquals("/owners", RequestPaths.withinApplication("/owners", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator", "/actuator/prometheus", "/internal/jobs/1", "/health"})
    void excluded(String path) {
        assertTrue(RequestPaths.under(path, List.of("/actuator", "/health", "/internal/")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuators", "/orders/actuator", "/healthy", "/internalx"})
    void notExcluded(String path) {
        assertFalse(RequestPaths.under(path, List.of("/actuator", "/health", "/internal/")));
    }
}
