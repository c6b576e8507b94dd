package dev.querylens.core.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The naming rules, one row per case; the contract suite checks the same names in every mode. */
class HttpEndpointsTest {

    @ParameterizedTest(name = "{0} {1} route={2} dispatcher={3} mapping={4} status={5} -> {6}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // a framework route wins, whatever the status
            "GET|/owners/42|/owners/{ownerId}|true|/|200|GET /owners/{ownerId}",
            "GET|/owners/999|/owners/{ownerId}|true|/|404|GET /owners/{ownerId}",
            "DELETE|/owners/1|/owners/{ownerId}|true|/|500|DELETE /owners/{ownerId}",
            // made-up and lowercase methods
            "FROB|/owners/3|null|true|/|405|OTHER UNMATCHED",
            "get|/owners/3|/owners/{ownerId}|true|/|200|OTHER /owners/{ownerId}",
            // no handler: 404, 405, refused before routing, the static catch-all, a dispatcher without a handler
            "GET|/nope/123|null|true|/|404|GET UNMATCHED",
            "POST|/owners/3|null|true|/|405|POST UNMATCHED",
            "GET|/admin/users|null|false|/|401|GET UNMATCHED",
            "GET|/no/such/file.css|/**|true|/|404|GET UNMATCHED",
            "GET|/css/app.css|/**|true|/|200|GET UNMATCHED",
            "GET|/owners/3|null|true|/|500|GET UNMATCHED",
            // plain servlets: the mapping, then the templated path below it
            "GET|/shops/7/owners|null|false|/shops/*|200|GET /shops/{id}/owners",
            "GET|/shops|null|false|/shops/*|200|GET /shops",
            "GET|/shops/john.smith@example.com|null|false|/shops/*|200|GET /shops/{id}",
            "GET|/v1/accounts/Zx8kP2qLmN7vR4tY|null|false|/v1/*|200|GET /v1/accounts/{id}",
            "GET|/stats|null|false|/stats|200|GET /stats",
            "GET|/orders/42/list.do|null|false|*.do|200|GET /orders/{id}/list.do",
            "GET|/|null|false|''|200|GET /",
            "GET|/items/42|null|false|/|200|GET /items/{id}",
            "GET|/items/42|null|false|null|200|GET /items/{id}",
            "PUT|/items/42|null|false|/items/*|0|PUT /items/{id}",
            // a plain servlet's 404 is unmatched too: random paths never become names
            "GET|/shops/random-path|null|false|/shops/*|404|GET UNMATCHED",
    })
    void names(String method, String path, String route, boolean dispatcher, String mapping, int status, String expected) {
        assertEquals(expected, HttpEndpoints.name(method, path, route, dispatcher, mapping, status));
    }
}
