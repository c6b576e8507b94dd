package dev.querylens.core.sql;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What values stand for, and the statement traits the rules read, on SQL as Hibernate, jOOQ and Spring Data write it. */
class ValueRolesTest {
    private final SqlFingerprinter fingerprinter = new SqlFingerprinter(65_536, 0);

    private ParsedSql parse(String sql) {
        return fingerprinter.parse(sql);
    }

    @Test
    void keysetPositionsAreLeftOutOfTheKeyLikePagingValues() {
        // Hibernate 7 KeyedPage and Spring Data keyset scrolling, one and two sort columns
        assertEquals(0b111, parse("select p1_0.id,p1_0.title from book p1_0 where p1_0.id>? order by 1 offset ? rows fetch first ? rows only")
                .pagingBindMask());
        assertEquals(0b11111, parse("select p1_0.id,p1_0.status,p1_0.title from book p1_0 where p1_0.title>? or p1_0.id>? "
                + "and p1_0.title=? order by 3,1 offset ? rows fetch first ? rows only").pagingBindMask());
        // jOOQ seek() with a row value comparison, MySQL LIMIT, T-SQL TOP, descending with the value first
        assertEquals(0b111, parse("select \"b\".\"id\" from \"book\" as \"b\" where (\"b\".\"title\", \"b\".\"id\") > (?, ?) "
                + "order by \"b\".\"title\", \"b\".\"id\" limit ?").pagingBindMask());
        assertEquals(0b111, parse("select id from book where id > ? order by id limit ?, ?").pagingBindMask());
        assertEquals(0b1, parse("select top 10 id from book where ? > id order by id desc").pagingBindMask());
        assertEquals(0b11, parse("select b.id from book b where ? < b.id order by b.id limit ?").pagingBindMask());
        // literals at keyset positions do not make the key differ either
        assertEquals(parse("select id from book where id > 5 order by id limit 10").literalKey(),
                parse("select id from book where id > 25 order by id limit 10").literalKey());
    }

    @Test
    void notKeysetWithoutALimitOffTheOrderByOrForAnEquality() {
        assertEquals(0, parse("select id from book where id > ? order by id").pagingBindMask());
        assertEquals(0b10, parse("select id from book where created > ? order by id limit ?").pagingBindMask());
        assertEquals(0b110, parse("select b.id from book b where b.author_id = ? and b.id > ? order by b.id limit ?").pagingBindMask());
        assertEquals(0b100, parse("select id from book where author_id = ? and title = ? order by author_id, title limit ?").pagingBindMask());
        assertNotEquals(parse("select id from book where author_id = 1 and id > 5 order by id limit 10").literalKey(),
                parse("select id from book where author_id = 2 and id > 5 order by id limit 10").literalKey());
    }

    @Test
    void keyListsArraysAndConstantFilters() {
        ValueRoles hibernateBatch = parse("select r1_0.book_id,r1_0.id from review r1_0 where r1_0.book_id in (?,?,?,?)").roles();
        assertArrayEquals(new int[]{0, 1, 4}, hibernateBatch.lists());
        ValueRoles composite = parse("select * from line where (order_id, line_no) in ((?, ?), (?, ?), (?, ?)) and status = ?").roles();
        assertArrayEquals(new int[]{0, 2, 3}, composite.lists());
        assertFalse(composite.inList(6));
        assertEquals(0, parse("select * from book where status not in (?, ?) and author_id = ?").roles().lists().length);
        assertEquals(2, parse("select * from book where author_id = ? and status in ('NEW','PAID')").roles().literalList());
        assertEquals(3, parse("select * from book where id = any(array[?, ?, ?])").roles().lists()[2]);
        // one-element lists are plain equalities; a bind that may carry an array is known only at bind time
        assertArrayEquals(new int[]{0}, parse("select p1_0.id from pbook p1_0 where p1_0.id = any (?)").roles().arrayBinds());
        assertArrayEquals(new int[]{0}, parse("select \"t\".\"id\" from \"t\" where \"t\".\"id\" = any (?::int8[])").roles().arrayBinds());
        assertArrayEquals(new int[]{1}, parse("select id from t where a = ? and id = any (cast(? as bigint array))").roles().arrayBinds());
        assertArrayEquals(new int[]{0}, parse("select r.id from review r where array_contains(?, r.book_id)").roles().arrayBinds());
        assertArrayEquals(new int[]{0}, parse("select id from t where id in (?)").roles().arrayBinds());
        assertArrayEquals(new int[]{0}, parse("select id from t where id in (select unnest(?))").roles().arrayBinds());
        // what a batch keeps the same: the values outside its key list
        assertEquals(parse("select id from t where status = 'NEW' and id in (1, 2)").literalOutside(),
                parse("select id from t where status = 'NEW' and id in (3, 4)").literalOutside());
        assertNotEquals(parse("select id from t where status = 'NEW' and id in (1, 2)").literalOutside(),
                parse("select id from t where status = 'PAID' and id in (1, 2)").literalOutside());
        assertEquals(2, parse("insert into t (a, b) values (?, ?), (?, ?)").roles().valuesRows());
        assertEquals(1, parse("insert into t (a, b) values (?, ?)").roles().valuesRows());
    }

    @Test
    void sequenceCallsAsEachDialectWritesThem() {
        for (String sql : new String[]{"select nextval('book_seq')", "select nextval('public.book_seq'::regclass)",
                "select next value for book_seq", "call next value for book_seq", "select nextval(book_seq)",
                "select book_seq.nextval from dual", "values next value for book_seq", "select gen_id(book_seq, 1) from rdb$database"}) {
            Fingerprint fp = parse(sql).fingerprint();
            assertTrue(fp.sequenceCall(), sql);
            assertFalse(fp.lockingRead() || fp.switchesSchema(), sql);
        }
        assertFalse(parse("select next, value from t where id = ?").fingerprint().sequenceCall());
    }

    @Test
    void lockingReadsAsEachDialectWritesThem() {
        for (String sql : new String[]{
                "select j1_0.id from job j1_0 where j1_0.id=? for update",
                "select j1_0.id from job j1_0 where j1_0.id=? for no key update of j1_0",
                "select j1_0.id from job j1_0 where j1_0.id=? for share of j1_0",
                "select j1_0.id from job j1_0 where j1_0.status=? order by j1_0.id fetch first ? rows only for no key update of j1_0 skip locked",
                "select j1_0.id from job j1_0 where j1_0.id=? lock in share mode",
                "select id from job where status = ? limit 1 for update skip locked",
                "select id from job with (updlock, rowlock) where id = ?",
                "select id from job where id = ? for key share"}) {
            assertTrue(parse(sql).fingerprint().lockingRead(), sql);
        }
        assertFalse(parse("select id from job where status = ? order by id").fingerprint().lockingRead());
        assertFalse(parse("select lock, mode from job where id = ?").fingerprint().lockingRead());
    }

    @Test
    void changesOfSchemaOrDatabase() {
        for (String sql : new String[]{"SET SCHEMA tenant_b", "set search_path to tenant_b, public",
                "SET SESSION search_path = 'tenant_b'", "set local search_path = tenant_b", "use shop",
                "alter session set current_schema = tenant_b", "set current schema tenant_b", "SET SCHEMA_SEARCH_PATH A, B"}) {
            assertTrue(parse(sql).fingerprint().switchesSchema(), sql);
        }
        assertFalse(parse("set statement_timeout = 5000").fingerprint().switchesSchema());
        assertFalse(parse("update tenant set schema = ? where id = ?").fingerprint().switchesSchema());
    }
}
