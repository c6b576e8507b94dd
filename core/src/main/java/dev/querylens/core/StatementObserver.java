package dev.querylens.core;

import dev.querylens.core.sql.ParsedSql;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;

/**
 * Sees every statement after it ran, on the application's thread. Runs on the statement path: it must be cheap
 * (a volatile read and a return in the common case) and must not block. An exception it throws is caught, counted
 * in {@code querylens.internal.errors} and does not reach the application.
 */
@FunctionalInterface
public interface StatementObserver {
    /**
     * @param endpoint the unit of work's endpoint, or {@code none} outside any unit
     * @param sql      the statement as fingerprinted
     * @param execution datasource-proxy's record of the execution (timing, success, batch, data source name)
     * @param query    the SQL text and its bind values; read them here, they are not kept after the call returns
     */
    void onStatement(String endpoint, ParsedSql sql, ExecutionInfo execution, QueryInfo query);
}
