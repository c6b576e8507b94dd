package dev.querylens.core.explain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Column extraction from filters as each database prints them, and the CREATE INDEX built from it. */
class IndexSuggestionTest {

    private static List<String> pg(String filter) {
        return columns(filter, "orders", "o", false);
    }

    private static List<String> columns(String filter, String table, String alias, boolean mysql) {
        return FilterColumns.extract(filter, table, alias, mysql).columns().stream()
                .map(FilterColumns.Column::name).toList();
    }

    private static String problem(String filter) {
        return FilterColumns.extract(filter, "orders", "o", false).problem();
    }

    private static IndexSuggestion suggest(Dialect dialect, String schema, String table, String alias,
                                           String filter) {
        return IndexAdvisor.suggest(dialect, new ScanNode(schema, table, alias, Access.FULL_SCAN, -1, filter, false));
    }

    @Test
    void postgresCastsParenthesesAndAliasesAreStripped() {
        assertEquals(List.of("status"), pg("((o.status)::text = 'NEW'::text)"));
        assertEquals(List.of("status"), pg("((status)::text = 'NEW'::text)"));
        assertEquals(List.of("created_at"), pg("(created_at > '2024-02-01 00:00:00'::timestamp without time zone)"));
        assertEquals(List.of("customer_id"), pg("(customer_id = $1)"));
    }

    @Test
    void castToAnotherTypeOrAFunctionOfTheColumnIsNotIndexable() {
        assertEquals(List.of(), pg("((created_at)::date = '2024-01-01'::date)"));
        assertEquals(List.of(), pg("(lower((email)::text) = 'a@b.c'::text)"));
        assertEquals(List.of(), pg("((total * 2) > '10'::numeric)"));
    }

    @Test
    void equalityColumnsComeFirstThenOneRangeColumn() {
        assertEquals(List.of("status", "customer_id", "created_at"),
                pg("((created_at > now()) AND ((status)::text = 'NEW'::text) AND (customer_id = 7)"
                        + " AND (total < '5'::numeric))"));
    }

    @Test
    void atMostThreeColumns() {
        assertEquals(List.of("a", "b", "c"), pg("((a = 1) AND (b = 2) AND (c = 3) AND (d = 4))"));
    }

    @Test
    void inAnyAndIsNullAreEquality() {
        assertEquals(List.of("status"), pg("((status)::text = ANY ('{NEW,HOLD}'::text[]))"));
        assertEquals(List.of("STATUS"), columns("\"STATUS\" IN('NEW', 'HOLD')", "ORDERS", null, false));
        assertEquals(List.of("note"), pg("(note IS NULL)"));
        assertEquals(List.of(), pg("(note IS NOT NULL)"));
        assertEquals(List.of(), pg("(status <> 'DONE'::text)"));
        assertEquals(List.of(), columns("o.status not in ('A','B')", "orders", "o", true));
    }

    @Test
    void betweenAndLikePrefix() {
        assertEquals(List.of("total"), columns("cap_orders.total between 10 and 20", "cap_orders", null, true));
        assertEquals(List.of("note"), pg("(note ~~ 'abc%'::text)"));
        assertEquals(List.of(), pg("(note ~~ '%abc'::text)"));
        assertEquals(List.of(), pg("(note ~~* 'abc%'::text)"));
        assertEquals(List.of("NAME"), columns("C.NAME LIKE 'x%'", "CUSTOMERS", "C", false));
    }

    @Test
    void orCountsOnlyWhenEveryBranchPinsTheSameColumn() {
        assertEquals(List.of("status"), pg("(((status)::text = 'A'::text) OR ((status)::text = 'B'::text))"));
        assertEquals(List.of(), pg("((a = 1) OR (b = 2))"));
        assertTrue(problem("((a = 1) OR (b = 2))").startsWith("OR across different columns"));
        // An OR beside a usable AND term does not spoil it.
        assertEquals(List.of("c"), pg("(((a = 1) OR (b = 2)) AND (c = 3))"));
    }

    @Test
    void mysqlAndMariadbQuotingAndQualifiers() {
        assertEquals(List.of("status"), columns("(`test`.`o`.`status` = 'NEW')", "orders", "o", true));
        assertEquals(List.of("status"), columns("cap_orders.`status` = 'NEW'", "cap_orders", null, true));
        assertEquals(List.of("name"), columns("o.name = 'O\\'Brien'", "orders", "o", true));
        assertEquals(List.of("status"), columns("o.`status` = _utf8mb4'NEW' collate utf8mb4_bin", "orders", "o",
                true));
    }

    @Test
    void columnsOfOtherTablesAndSubqueriesAreIgnored() {
        assertEquals(List.of(), columns("c.country = o.`status`", "orders", "o", true));
        assertEquals(List.of(), pg("(hashed SubPlan 1)"));
        assertEquals(List.of("status"), pg("((NOT (hashed SubPlan 1)) AND ((status)::text = 'NEW'::text))"));
        assertEquals(List.of(), pg("(customer_id IN (SELECT id FROM customers))"));
    }

    @Test
    void h2CastsOnValues() {
        assertEquals(List.of("ID"), columns("\"ID\" = CAST(42 AS BIGINT)", "ORDERS", null, false));
        assertEquals(List.of("STATUS", "CREATED_AT"),
                columns("(\"STATUS\" = ?1) AND (\"CREATED_AT\" > ?2)", "ORDERS", null, false));
    }

    @Test
    void noUsableColumnSaysWhy() {
        assertEquals("no filter", problem(null));
        assertTrue(problem("(total * 2 > 10)").startsWith("no column compared with a constant"));
        assertTrue(problem("garbage ((( here").startsWith("no column compared with a constant"));
    }

    @Test
    void postgresSuggestionHasNoNameAndUsesTextPatternOpsForLike() {
        IndexSuggestion s = suggest(Dialect.POSTGRESQL, null, "orders", "o", "((o.status)::text = 'NEW'::text)");
        assertEquals("CREATE INDEX ON orders (status)", s.sql());
        assertEquals(List.of("status"), s.columns());
        assertNull(s.problem());
        assertEquals("CREATE INDEX ON orders (status, note text_pattern_ops)",
                suggest(Dialect.POSTGRESQL, null, "orders", null,
                        "(((status)::text = 'A'::text) AND (note ~~ 'x%'::text))").sql());
    }

    @Test
    void otherDialectsNameTheIndex() {
        assertEquals("CREATE INDEX idx_orders_status ON orders (status)",
                suggest(Dialect.MARIADB, null, "orders", "o", "o.`status` = 'NEW'").sql());
        assertEquals("CREATE INDEX idx_orders_status_created_at ON shop.orders (status, created_at)",
                suggest(Dialect.MYSQL, "shop", "orders", "o",
                        "((`shop`.`o`.`status` = 'NEW') and (`shop`.`o`.`created_at` > '2024-01-01'))").sql());
        // H2 stores unquoted names in upper case; the default schema is left out.
        assertEquals("CREATE INDEX idx_orders_status ON orders (status)",
                suggest(Dialect.H2, "PUBLIC", "ORDERS", null, "\"STATUS\" = 'NEW'").sql());
    }

    @Test
    void namesThatNeedQuotesGetThem() {
        assertEquals("CREATE INDEX ON \"Orders\" (\"Status\")",
                suggest(Dialect.POSTGRESQL, null, "Orders", null, "(\"Status\" = 1)").sql());
        assertEquals("CREATE INDEX ON \"order\" (\"user\")",
                suggest(Dialect.POSTGRESQL, null, "order", null, "(\"user\" = 1)").sql());
        assertEquals("CREATE INDEX idx_order_group ON `order` (`group`)",
                suggest(Dialect.MARIADB, null, "order", null, "`order`.`group` = 1").sql());
    }

    @Test
    void noSuggestionCarriesTheReason() {
        IndexSuggestion s = suggest(Dialect.POSTGRESQL, null, "orders", null, "((a = 1) OR (b = 2))");
        assertFalse(s.present());
        assertNull(s.sql());
        assertTrue(s.problem().startsWith("OR across"), s.problem());
    }
}
