package dev.querylens.core.sql;

import dev.querylens.core.sql.Token.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How each dialect's reading splits text, and the readings of text of any database. */
class SqlLexerTest {

    /** The tokens as KIND:text, comments included. */
    private static String read(String sql, SqlSyntax syntax) {
        return render(SqlLexer.lexAsWritten(sql, syntax).tokens());
    }

    private static String render(List<Token> tokens) {
        return tokens.stream().map(t -> t.kind() + ":" + t.text()).collect(Collectors.joining(" "));
    }

    @Test
    void mysqlReadsADoubleDashAsACommentOnlyBeforeASpaceOrControlCharacter() {
        assertEquals("WORD:SELECT NUMBER:1 SYMBOL:- NUMBER:-1", read("SELECT 1 --1", SqlSyntax.MYSQL));
        assertEquals("WORD:SELECT NUMBER:1 COMMENT:-- x", read("SELECT 1 -- x", SqlSyntax.MYSQL));
        assertEquals("WORD:SELECT NUMBER:1 COMMENT:--\t", read("SELECT 1 --\t", SqlSyntax.MYSQL));
        assertEquals("WORD:SELECT NUMBER:1 COMMENT:--", read("SELECT 1 --", SqlSyntax.MYSQL));
        assertEquals("WORD:SELECT NUMBER:1 COMMENT:--1", read("SELECT 1 --1", SqlSyntax.POSTGRESQL));
        assertEquals("WORD:SELECT NUMBER:1 COMMENT:# x SYMBOL:, NUMBER:2", read("SELECT 1 # x\n, 2", SqlSyntax.MYSQL));
        assertEquals("WORD:SELECT NUMBER:1 SYMBOL:# NUMBER:2", read("SELECT 1 # 2", SqlSyntax.POSTGRESQL));
    }

    @Test
    void mysqlDoubleQuotesAreStringsWithBackslashEscapesUnlessTheSessionSaysOtherwise() {
        assertEquals("WORD:SELECT STRING:\"\\\"\" SYMBOL:; WORD:INSERT", read("SELECT \"\\\"\" ; INSERT", SqlSyntax.MYSQL));
        assertEquals("WORD:SELECT QUOTED:\"a\" WORD:FROM", read("SELECT \"a\" FROM", SqlSyntax.mysql("ANSI_QUOTES")));
        assertEquals("WORD:SELECT QUOTED:\"a\" WORD:FROM", read("SELECT \"a\" FROM",
                SqlSyntax.mysql("REAL_AS_FLOAT,PIPES_AS_CONCAT,ANSI_QUOTES,IGNORE_SPACE,ANSI")));
        assertEquals("WORD:SELECT STRING:'a\\' SYMBOL:, STRING:'b'",
                read("SELECT 'a\\', 'b'", SqlSyntax.mysql("STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES")));
        // the quote after b opens a MySQL bit string
        assertEquals("WORD:SELECT STRING:'a\\', ' STRING:b'", read("SELECT 'a\\', 'b'", SqlSyntax.MYSQL));
        assertEquals("WORD:SELECT QUOTED:`a``b` WORD:$x", read("SELECT `a``b` $x", SqlSyntax.MYSQL));
        assertEquals(SqlSyntax.MYSQL, SqlSyntax.mysql(null));
    }

    @Test
    void postgresqlDollarTagsMayHoldAnyNonAsciiCharacter() {
        assertEquals("WORD:SELECT STRING:$ä$ -- $ä$ SYMBOL:; WORD:COMMIT",
                read("SELECT $ä$ -- $ä$; COMMIT", SqlSyntax.POSTGRESQL));
        assertEquals("WORD:SELECT STRING:$€1$x$€1$", read("SELECT $€1$x$€1$", SqlSyntax.POSTGRESQL));
        assertEquals("WORD:SELECT WORD:a$b$", read("SELECT a$b$", SqlSyntax.POSTGRESQL));
        assertEquals("WORD:SELECT STRING:E'it\\'s' STRING:U&'\\0041'",
                read("SELECT E'it\\'s' U&'\\0041'", SqlSyntax.POSTGRESQL));
        assertEquals("WORD:SELECT STRING:'C:\\' SYMBOL:, STRING:'x'", read("SELECT 'C:\\', 'x'", SqlSyntax.POSTGRESQL));
        // a name runs through characters above ASCII: no dollar quote starts after x + NBSP
        assertEquals("WORD:SELECT NUMBER:1 WORD:AS WORD:x\u00a0$a$", read("SELECT 1 AS x\u00a0$a$", SqlSyntax.POSTGRESQL));
        // an operator stops before a comment
        assertEquals("WORD:SELECT NUMBER:1 SYMBOL:# COMMENT:-- '", read("SELECT 1 #-- '", SqlSyntax.POSTGRESQL));
        assertEquals("WORD:SELECT COMMENT:/* a /* b */ c */ NUMBER:1", read("SELECT /* a /* b */ c */ 1", SqlSyntax.POSTGRESQL));
    }

    @Test
    void h2KnowsDoubleSlashCommentsAndUntaggedDollarStrings() {
        assertEquals("WORD:SELECT NUMBER:1 COMMENT:// ; SYMBOL:, NUMBER:2", read("SELECT 1 // ;\n, 2", SqlSyntax.H2));
        assertEquals("WORD:SELECT STRING:$$a'b$$", read("SELECT $$a'b$$", SqlSyntax.H2));
        assertEquals("WORD:SELECT STRING:E'a\\' SYMBOL:, STRING:'b'", read("SELECT E'a\\', 'b'", SqlSyntax.H2));
        assertNotNull(SqlLexer.lexAsWritten("SELECT $a$x$a$", SqlSyntax.H2).problem());
    }

    @Test
    void mysqlExecutableCommentsAndUnsureEndsAreProblems() {
        assertTrue(SqlLexer.lexAsWritten("SELECT 1 /*!50000 , 2 */", SqlSyntax.MYSQL).problem().contains("executable"));
        assertNull(SqlLexer.lexAsWritten("SELECT 1 /*!50000 , 2 */", SqlSyntax.POSTGRESQL).problem());
        assertTrue(SqlLexer.lexAsWritten("SELECT 1 -- a\r, 2", SqlSyntax.MYSQL).problem().contains("carriage"));
        assertTrue(SqlLexer.lexAsWritten("SELECT 1\u00a0", SqlSyntax.H2).problem().contains("U+00A0"));
    }

    @Test
    void readingsThatDependOnSettingsDisagreeLoudly() {
        SqlLexer.Result r = SqlLexer.lexAsWritten("SELECT 'a\\'b', 'c\\' d'", SqlSyntax.variants(SqlSyntax.Family.MYSQL));
        assertTrue(r.problem().contains("reads differently"), r.problem());
        assertNull(SqlLexer.lexAsWritten("SELECT \"a\" FROM t", SqlSyntax.variants(SqlSyntax.Family.MYSQL)).problem());
        assertEquals(Kind.QUOTED, SqlLexer.lexAsWritten("SELECT \"a\"", SqlSyntax.variants(SqlSyntax.Family.MYSQL))
                .tokens().get(1).kind(), "the first reading takes the most for names");
    }

    /** Text of any database: what any dialect reads as a literal is one. */
    @Test
    void textOfAnyDatabaseTakesWhatCouldBeAStringForOne() {
        assertEquals("WORD:where WORD:email SYMBOL:= STRING:\"alice@example.com\"",
                render(SqlLexer.lex("where email = \"alice@example.com\"").tokens()));
        // an alias without AS is no place where only a name can stand
        assertEquals("WORD:select QUOTED:\"o\" SYMBOL:. QUOTED:\"id\" WORD:from QUOTED:\"orders\" STRING:\"o\"",
                render(SqlLexer.lex("select \"o\".\"id\" from \"orders\" \"o\"").tokens()));
        assertEquals("WORD:select STRING:$ä$secret$ä$", render(SqlLexer.lex("select $ä$secret$ä$").tokens()));
        assertEquals("WORD:select NUMBER:1", render(SqlLexer.lex("select 1 # secret").tokens()));
        assertEquals("WORD:select STRING:q'[it's]'", render(SqlLexer.lex("select q'[it's]'").tokens()));
        assertEquals("WORD:select NUMBER:0b1010 SYMBOL:, NUMBER:1_000 SYMBOL:, NUMBER:0o17",
                render(SqlLexer.lex("select 0b1010, 1_000, 0o17").tokens()));
    }
}
