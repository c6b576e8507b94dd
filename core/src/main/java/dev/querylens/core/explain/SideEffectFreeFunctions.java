package dev.querylens.core.explain;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The built-in functions a statement may call and still be explained, per dialect. EXPLAIN without ANALYZE still
 * evaluates parts of a statement: MySQL and MariaDB call DETERMINISTIC functions with constant arguments and
 * materialise derived tables while they plan, PostgreSQL calls STABLE and IMMUTABLE ones, H2 calls deterministic
 * user functions. So a statement is explained only when every function it calls is a built-in on this list,
 * called by its bare name: aggregates, window functions, string, number, date and time, JSON and array functions,
 * casts, {@code coalesce} and its kin. Anything else is refused: user functions, schema-qualified or quoted names
 * (a user function can carry a built-in's name in another schema), sequence calls, locks, sleeps, benchmarks,
 * file access, and user-variable assignments.
 *
 * <p>With every call on the list, what the planner evaluates early only reads: a derived table MariaDB
 * materialises while planning runs listed functions over rows the statement would read anyway, bounded by the
 * EXPLAIN's statement timeout. What a statement reaches without naming it (views, row-level security policies,
 * operators and casts defined by users) is checked against the database's catalog before each EXPLAIN (see
 * {@link ExplainSession#indirectCalls}).
 */
final class SideEffectFreeFunctions {
    private SideEffectFreeFunctions() {
    }

    private static final Set<String> COMMON = Set.of(
            // aggregates and window functions
            "COUNT", "SUM", "AVG", "MIN", "MAX", "EVERY", "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "VARIANCE",
            "VAR_POP", "VAR_SAMP", "BIT_AND", "BIT_OR", "BIT_XOR", "ROW_NUMBER", "RANK", "DENSE_RANK",
            "PERCENT_RANK", "CUME_DIST", "NTILE", "LAG", "LEAD", "FIRST_VALUE", "LAST_VALUE", "NTH_VALUE",
            "GROUPING", "ROLLUP", "CUBE", "ANY_VALUE", "JSON_ARRAYAGG", "JSON_OBJECTAGG",
            // conditionals and casts
            "COALESCE", "NULLIF", "GREATEST", "LEAST", "CAST", "CONVERT", "ROW",
            // strings
            "LOWER", "UPPER", "LCASE", "UCASE", "LENGTH", "CHAR_LENGTH", "CHARACTER_LENGTH", "OCTET_LENGTH",
            "BIT_LENGTH", "SUBSTRING", "SUBSTR", "TRIM", "LTRIM", "RTRIM", "BTRIM", "CONCAT", "CONCAT_WS",
            "REPLACE", "POSITION", "LOCATE", "INSTR", "LEFT", "RIGHT", "LPAD", "RPAD", "REVERSE", "REPEAT",
            "TRANSLATE", "INITCAP", "ASCII", "CHR", "CHAR", "SPACE", "SOUNDEX", "REGEXP_REPLACE", "REGEXP_SUBSTR",
            "REGEXP_INSTR", "REGEXP_LIKE", "HEX", "MD5", "SHA1", "SHA2", "TO_CHAR", "FORMAT", "OVERLAY",
            // numbers
            "ABS", "CEIL", "CEILING", "FLOOR", "ROUND", "TRUNC", "TRUNCATE", "MOD", "POWER", "POW", "SQRT",
            "CBRT", "EXP", "LN", "LOG", "LOG2", "LOG10", "SIGN", "PI", "DEGREES", "RADIANS", "SIN", "COS", "TAN",
            "ASIN", "ACOS", "ATAN", "ATAN2", "COT", "WIDTH_BUCKET", "RAND", "RANDOM", "TO_NUMBER",
            // dates and times
            "EXTRACT", "NOW", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP",
            "DATE", "TIME", "TIMESTAMP", "YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "WEEK", "QUARTER",
            "DAYOFMONTH", "DAYOFWEEK", "DAYOFYEAR", "DAYNAME", "MONTHNAME", "DATEDIFF", "TIMESTAMPDIFF",
            "TIMESTAMPADD", "TO_DATE", "TO_TIMESTAMP", "LAST_DAY",
            // the session's own names
            "CURRENT_USER", "SESSION_USER", "USER", "CURRENT_SCHEMA", "CURRENT_CATALOG", "DATABASE", "SCHEMA",
            "VERSION",
            // JSON
            "JSON_OBJECT", "JSON_ARRAY", "JSON_VALUE", "JSON_QUERY", "JSON_EXISTS");

    private static final Set<String> MYSQL_FAMILY = Set.of(
            "IF", "IFNULL", "ISNULL", "NVL", "NVL2", "DECODE_ORACLE", "FIELD", "ELT", "INTERVAL", "BINARY",
            "GROUP_CONCAT", "STD", "MEDIAN", "PERCENTILE_CONT", "PERCENTILE_DISC", "BIT_COUNT", "UNHEX", "QUOTE",
            "STRCMP", "SUBSTRING_INDEX", "MID", "ORD", "INSERT", "CHARSET", "COLLATION", "COERCIBILITY", "CRC32",
            "CONV", "BIN", "OCT", "DIV", "MATCH", "AGAINST", "INET_ATON", "INET_NTOA", "INET6_ATON", "INET6_NTOA",
            "UUID", "BIN_TO_UUID", "UUID_TO_BIN", "CURDATE", "CURTIME", "SYSDATE", "UTC_DATE",
            "UTC_TIME", "UTC_TIMESTAMP", "UNIX_TIMESTAMP", "FROM_UNIXTIME", "DATE_ADD", "DATE_SUB", "ADDDATE",
            "SUBDATE", "ADDTIME", "SUBTIME", "DATE_FORMAT", "TIME_FORMAT", "STR_TO_DATE", "MAKEDATE", "MAKETIME",
            "WEEKDAY", "WEEKOFYEAR", "YEARWEEK", "PERIOD_ADD", "PERIOD_DIFF", "TO_DAYS", "FROM_DAYS",
            "TO_SECONDS", "SEC_TO_TIME", "TIME_TO_SEC", "TIMEDIFF", "CONVERT_TZ", "MICROSECOND", "GET_FORMAT",
            "JSON_EXTRACT", "JSON_UNQUOTE", "JSON_CONTAINS", "JSON_CONTAINS_PATH", "JSON_LENGTH", "JSON_KEYS",
            "JSON_SEARCH", "JSON_TYPE", "JSON_VALID", "JSON_DEPTH", "JSON_QUOTE", "JSON_OVERLAPS",
            "JSON_MEMBEROF", "JSON_TABLE", "JSON_SET", "JSON_INSERT", "JSON_REPLACE", "JSON_REMOVE",
            "JSON_MERGE_PATCH", "JSON_MERGE_PRESERVE", "JSON_ARRAY_APPEND", "JSON_ARRAY_INSERT", "JSON_COMPACT",
            "JSON_DETAILED", "JSON_PRETTY", "REGEXP", "RLIKE", "FORMAT_BYTES");

    private static final Set<String> POSTGRESQL = Set.of(
            "BOOL_AND", "BOOL_OR", "ARRAY_AGG", "STRING_AGG", "JSON_AGG", "JSONB_AGG", "JSON_OBJECT_AGG",
            "JSONB_OBJECT_AGG", "PERCENTILE_CONT", "PERCENTILE_DISC", "MODE", "CORR", "COVAR_POP", "COVAR_SAMP",
            "REGR_SLOPE", "REGR_INTERCEPT", "REGR_COUNT", "STRPOS", "SPLIT_PART", "STARTS_WITH", "ENCODE",
            "DECODE", "QUOTE_IDENT", "QUOTE_LITERAL", "QUOTE_NULLABLE", "REGEXP_MATCH", "REGEXP_MATCHES",
            "REGEXP_SPLIT_TO_ARRAY", "REGEXP_SPLIT_TO_TABLE", "REGEXP_COUNT", "SHA224", "SHA256", "SHA384",
            "SHA512", "TO_HEX", "DATE_PART", "DATE_TRUNC", "DATE_BIN",
            "AGE", "MAKE_DATE", "MAKE_TIME", "MAKE_TIMESTAMP", "MAKE_TIMESTAMPTZ", "MAKE_INTERVAL",
            "JUSTIFY_DAYS", "JUSTIFY_HOURS", "JUSTIFY_INTERVAL", "CLOCK_TIMESTAMP", "STATEMENT_TIMESTAMP",
            "TRANSACTION_TIMESTAMP", "TIMEOFDAY", "TIMEZONE", "ISFINITE", "CURRENT_DATABASE", "GEN_RANDOM_UUID",
            "ARRAY_LENGTH", "ARRAY_UPPER", "ARRAY_LOWER", "ARRAY_NDIMS", "ARRAY_DIMS", "CARDINALITY",
            "ARRAY_POSITION", "ARRAY_POSITIONS", "ARRAY_TO_STRING", "STRING_TO_ARRAY", "ARRAY_APPEND",
            "ARRAY_PREPEND", "ARRAY_CAT", "ARRAY_REMOVE", "ARRAY_REPLACE", "UNNEST", "GENERATE_SERIES",
            "GENERATE_SUBSCRIPTS", "TO_JSON", "TO_JSONB", "ROW_TO_JSON", "ARRAY_TO_JSON", "JSON_BUILD_OBJECT",
            "JSONB_BUILD_OBJECT", "JSON_BUILD_ARRAY", "JSONB_BUILD_ARRAY", "JSON_EXTRACT_PATH",
            "JSONB_EXTRACT_PATH", "JSON_EXTRACT_PATH_TEXT", "JSONB_EXTRACT_PATH_TEXT", "JSON_ARRAY_LENGTH",
            "JSONB_ARRAY_LENGTH", "JSON_ARRAY_ELEMENTS", "JSONB_ARRAY_ELEMENTS", "JSON_ARRAY_ELEMENTS_TEXT",
            "JSONB_ARRAY_ELEMENTS_TEXT", "JSON_EACH", "JSONB_EACH", "JSON_EACH_TEXT", "JSONB_EACH_TEXT",
            "JSON_OBJECT_KEYS", "JSONB_OBJECT_KEYS", "JSON_TYPEOF", "JSONB_TYPEOF", "JSONB_SET", "JSONB_INSERT",
            "JSONB_STRIP_NULLS", "JSON_STRIP_NULLS", "JSONB_PRETTY", "JSONB_PATH_EXISTS", "JSONB_PATH_MATCH",
            "JSONB_PATH_QUERY", "JSONB_PATH_QUERY_ARRAY", "JSONB_PATH_QUERY_FIRST", "TO_TSVECTOR", "TO_TSQUERY",
            "PLAINTO_TSQUERY", "PHRASETO_TSQUERY", "WEBSEARCH_TO_TSQUERY", "TS_RANK", "TS_RANK_CD", "TS_HEADLINE",
            "SETWEIGHT", "NUMNONNULLS", "NUMNULLS", "SCALE", "GCD", "LCM", "DIV", "FACTORIAL", "BERNOULLI",
            "SYSTEM", "LOWER_INC", "UPPER_INC", "LOWER_INF", "UPPER_INF", "ISEMPTY", "INT4RANGE", "INT8RANGE",
            "NUMRANGE", "TSRANGE", "TSTZRANGE", "DATERANGE", "NORMALIZE", "IS_NORMALIZED");

    private static final Set<String> H2 = Set.of(
            "BOOL_AND", "BOOL_OR", "ANY", "SOME", "ARRAY_AGG", "LISTAGG", "GROUP_CONCAT", "STRING_AGG", "MEDIAN",
            "MODE", "PERCENTILE_CONT", "PERCENTILE_DISC", "IFNULL", "NVL2", "CASEWHEN", "DECODE", "ZERO",
            "DATEADD", "DATE_ADD", "DATEDIFF", "DATE_TRUNC", "DAY_OF_MONTH", "DAY_OF_WEEK", "DAY_OF_YEAR",
            "ISO_DAY_OF_WEEK", "ISO_WEEK", "ISO_YEAR", "FORMATDATETIME", "PARSEDATETIME", "CURDATE", "CURTIME",
            "SYSDATE", "SYSTIMESTAMP", "TODAY", "ARRAY_CONTAINS", "ARRAY_LENGTH", "CARDINALITY", "ARRAY_CAT",
            "ARRAY_APPEND", "ARRAY_SLICE", "TRIM_ARRAY", "ARRAY_MAX_CARDINALITY", "UNNEST", "SYSTEM_RANGE",
            "RANDOM_UUID", "UUID", "STRINGENCODE", "STRINGDECODE", "RAWTOHEX", "HEXTORAW", "SOUNDEX",
            "DIFFERENCE", "INSERT", "BITAND", "BITOR", "BITXOR", "BITNOT", "LSHIFT", "RSHIFT", "ORA_HASH", "HASH",
            "STANDARD_HASH", "TO_CHAR", "REGEXP_REPLACE", "CURRENT_PATH", "JSON_OBJECTAGG", "JSON_ARRAYAGG",
            "NVL");

    /**
     * Why what {@code shape} calls keeps it from being explained on {@code dialect}, or {@code null} when every
     * call is a listed built-in called by its bare name, and it uses no sequence and assigns no variable.
     */
    static String notAllowed(Dialect dialect, StatementShape shape) {
        if (shape.sequenceCall()) {
            return "uses a sequence (nextval, NEXT VALUE FOR...), which planning can advance";
        }
        if (shape.assignsVariable()) {
            return "assigns a variable (:=)";
        }
        return notAllowed(dialect, shape.calls());
    }

    /**
     * Why calling {@code calls} keeps a statement from being explained on {@code dialect}, or {@code null} when
     * every call is a listed built-in called by its bare name.
     */
    static String notAllowed(Dialect dialect, List<StatementShape.Call> calls) {
        for (StatementShape.Call call : calls) {
            if (call.qualified()) {
                return "calls " + call.name() + " qualified by a schema, not a built-in known to have no side effect";
            }
            if (call.quoted()) {
                return "calls the quoted name " + call.name() + ", not a built-in known to have no side effect";
            }
            if (!allowed(dialect, call.name())) {
                return "calls " + call.name() + ", not a built-in known to have no side effect";
            }
        }
        return null;
    }

    static boolean allowed(Dialect dialect, String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (COMMON.contains(upper)) {
            return true;
        }
        return switch (dialect) {
            case MYSQL, MARIADB -> MYSQL_FAMILY.contains(upper);
            case POSTGRESQL -> POSTGRESQL.contains(upper);
            case H2 -> H2.contains(upper);
            default -> false;
        };
    }
}
