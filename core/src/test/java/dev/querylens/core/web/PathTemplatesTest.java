package dev.querylens.core.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathTemplatesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/owners/42|/owners/{id}",
            "/owners/42/pets/7|/owners/{id}/pets/{id}",
            "/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6|/orders/{id}",
            "/orders/3FA85F64-5717-4562-B3FC-2C963F66AFA6/items|/orders/{id}/items",
            "/blobs/9f86d081884c7d659a2feaa0c55ad015|/blobs/{id}",
            "/files/abcdef|/files/abcdef",
            "/v2/owners|/v2/owners",
            "/apis/batch/v1beta1/jobs|/apis/batch/v1beta1/jobs",
            "/owners/|/owners/",
            "/|/",
            "''|/",
            "/order-lines/by_status|/order-lines/by_status",
            "/customerNotificationPreferences|/customerNotificationPreferences",
            "/getAllCustomerOrdersByStatus|/getAllCustomerOrdersByStatus",
            "/static/index.html|/static/index.html",
    })
    void templates(String path, String expected) {
        assertEquals(expected, PathTemplates.template(path));
    }

    /** Every class of segment that can carry an identifier, a secret or personal data. */
    @ParameterizedTest
    @ValueSource(strings = {
            "42", "0", "007", "2024-01-05", "+44-20-7946-0958", "10.0.0.1", "3.14", "1.2.3", "1_000",
            "3fa85f64-5717-4562-b3fc-2c963f66afa6", "0123456789abcdef", "507f1f77bcf86cd799439011", "a1b2c3",
            "Zx8kP2qLmN7vR4tY", "AB12CD", "user123", "john99", "k3j9xq", "app.3f9a2b.js", "page-2",
            "my-post-2024-01-05", "1a", "abc1def", "order_12", "v1.2",
            "john.smith", "jane.m.doe", "john.smith@example.com", "john@example", "j%40x", "John Smith",
            "José", "Łukasz", "~john", "O'Brien", "a+b", "dGVzdA==", "key=value", "x:y",
            "ZxkPqLmNvRtYhJwB", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
            "this-is-a-very-long-article-slug-that-goes-on-and-on",
    })
    void identifierLikeSegments(String segment) {
        assertTrue(PathTemplates.isIdentifier(segment, 0, segment.length()), segment);
        assertEquals("/people/{id}", PathTemplates.template("/people/" + segment));
    }

    @ParameterizedTest
    @ValueSource(strings = {"owners", "order-lines", "by_status", "v1", "V2", "v2beta1", "v1alpha", "me",
            "index.html", "robots.txt", "openapi.json", "getUserById", "ownersWithPets", "-", "README.md",
            "oauth2", "h2", "dbcp2", "ipv6", "txaware-over-dbcp2", "hikari-over-spring"})
    void routeWords(String segment) {
        assertFalse(PathTemplates.isIdentifier(segment, 0, segment.length()), segment);
    }

    @Test
    void nullIsRoot() {
        assertEquals("/", PathTemplates.template(null));
    }

    @Test
    void boundsSegments() {
        String deep = "/a".repeat(40);
        assertEquals("/a".repeat(PathTemplates.MAX_SEGMENTS) + "/...", PathTemplates.template(deep));
        assertEquals("/{id}", PathTemplates.template("/" + "x".repeat(500)));
    }
}
