package dev.querylens.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RouteTemplatesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/owners/42|/owners/{id}",
            "/owners/42/pets/7|/owners/{id}/pets/{id}",
            "/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6|/orders/{id}",
            "/orders/3FA85F64-5717-4562-B3FC-2C963F66AFA6/items|/orders/{id}/items",
            "/blobs/9f86d081884c7d659a2feaa0c55ad015|/blobs/{id}",
            "/commits/0123456789abcdef|/commits/{id}",
            "/files/abcdef|/files/abcdef",
            "/deadbeefdeadbeefdeadbeef|/deadbeefdeadbeefdeadbeef",
            "/v2/owners|/v2/owners",
            "/owners/42;jsessionid=ABC123|/owners/{id}",
            "//owners///42|/owners/{id}",
            "/owners/|/owners/",
            "/|/",
            "''|/",
            "/api/2024-01-01|/api/2024-01-01",
            "/not-a-uuid-3fa85f64-5717-4562-b3fc-2c9|/not-a-uuid-3fa85f64-5717-4562-b3fc-2c9",
    })
    void templates(String path, String expected) {
        assertEquals(expected, RouteTemplates.template(path));
    }

    @Test
    void nullIsRoot() {
        assertEquals("/", RouteTemplates.template(null));
    }

    @Test
    void boundsSegmentsAndLength() {
        String longSegment = "x".repeat(500);
        assertEquals("/" + "x".repeat(RouteTemplates.MAX_SEGMENT_LENGTH), RouteTemplates.template("/" + longSegment));
        String deep = "/a".repeat(40);
        String expected = "/a".repeat(RouteTemplates.MAX_SEGMENTS) + "/...";
        assertEquals(expected, RouteTemplates.template(deep));
    }
}
