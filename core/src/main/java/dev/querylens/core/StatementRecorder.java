package dev.querylens.core;

import dev.querylens.core.detect.Detector;
import dev.querylens.core.jdbc.ConnectionEvents;
import dev.querylens.core.explain.ExplainSampler;
import dev.querylens.core.explain.SampledStatement;
import dev.querylens.core.sql.Fingerprint;
import dev.querylens.core.sql.ParsedSql;
import dev.querylens.core.sql.SqlFingerprinter;
import io.micrometer.core.instrument.Counter;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;

import java.util.List;

/**
 * The statement path: datasource-proxy calls {@link #afterQuery} after every JDBC execution. It takes no lock,
 * looks up no meter, walks no stack (except once when a rule is first broken) and allocates only when a unit
 * of work meets a new fingerprint. Nothing thrown here reaches the application. The rules themselves live in the
 * {@link Detector}.
 */
final class StatementRecorder implements QueryExecutionListener, ConnectionEvents {

    private final CurrentUnit units;
    private final SqlFingerprinter fingerprinter;
    /** Statement counters of the {@code none} endpoint, by operation. */
    private final Counter[] outsideUnits;
    private final Detector detector;
    /** Null when EXPLAIN sampling is off. */
    private final ExplainSampler sampler;
    /** The application's observers, in order; empty when there is none. */
    private final StatementObserver[] observers;
    /** Where each observer's failures are reported: one place per observer, so each is logged once. */
    private final String[] observerPlaces;
    private final InternalErrors errors;

    StatementRecorder(CurrentUnit units, SqlFingerprinter fingerprinter, Counter[] outsideUnits, Detector detector,
                      ExplainSampler sampler, StatementObserver[] observers, InternalErrors errors) {
        this.units = units;
        this.fingerprinter = fingerprinter;
        this.outsideUnits = outsideUnits;
        this.detector = detector;
        this.sampler = sampler;
        this.observers = observers.clone();
        this.observerPlaces = new String[observers.length];
        for (int i = 0; i < observers.length; i++) {
            observerPlaces[i] = "statement-observer " + observers[i].getClass().getName();
        }
        this.errors = errors;
    }

    @Override
    public void beforeQuery(ExecutionInfo execution, List<QueryInfo> queries) {
    }

    @Override
    public void afterQuery(ExecutionInfo execution, List<QueryInfo> queries) {
        try {
            UnitOfWorkState work = units.get();
            if (work == CurrentUnit.SUPPRESSED) {
                return;
            }
            if (work != null && work.root == null && work.ended()) {
                // the unit was closed on another thread: this thread is in none from now on
                units.leave(work);
                work = null;
            }
            // a thread the unit handed work to: records only while the unit is open, else under none
            UnitOfWorkState part = work != null && work.root != null ? work : null;
            if (part != null && !part.beginRecording()) {
                work = null;
                part = null;
            }
            try {
                record(work, execution, queries);
            } finally {
                if (part != null) {
                    part.endRecording();
                }
            }
        } catch (Throwable t) {
            errors.report("statement", t);
        }
    }

    private void record(UnitOfWorkState work, ExecutionInfo execution, List<QueryInfo> queries) {
        for (int i = 0, n = queries.size(); i < n; i++) {
            QueryInfo query = queries.get(i);
            ParsedSql sql = fingerprinter.parse(query.getQuery());
            // a batch is one round trip, also when Statement.addBatch(String) gave it several SQL strings
            boolean counted = i == 0;
            if (work == null) {
                if (counted) {
                    outsideUnits[sql.fingerprint().operation().ordinal()].increment();
                }
            } else {
                Fingerprint fp = sql.fingerprint();
                if (counted) {
                    work.operationCounts[fp.operation().ordinal()]++;
                    work.statements++;
                }
                detector.onExecution(work.detection, sql, execution.isBatch(), execution.getDataSourceName(), query);
            }
            if (sampler != null) {
                sample(work, sql, execution, query);
            }
            if (observers.length > 0) {
                observe(work == null ? QueryLensMeters.NO_ENDPOINT : work.endpoint(), sql, execution, query);
            }
        }
        if (work != null) {
            work.dbNanos += execution.getElapsedTime();
        }
    }

    /** The application's code: each observer's failure is its own, and keeps no other from running. */
    private void observe(String endpoint, ParsedSql sql, ExecutionInfo execution, QueryInfo query) {
        for (int k = 0; k < observers.length; k++) {
            try {
                observers[k].onStatement(endpoint, sql, execution, query);
            } catch (Throwable t) {
                errors.report(observerPlaces[k], t);
            }
        }
    }

    private void sample(UnitOfWorkState work, ParsedSql sql, ExecutionInfo execution, QueryInfo query) {
        SampledStatement task = sampler.onStatement(sql, execution, query);
        if (task == null) {
            return;
        }
        if (work == null) {
            sampler.submit(task, QueryLensMeters.NO_ENDPOINT);
        } else {
            work.pendingExplains = sampler.hold(work.pendingExplains, task);
        }
    }

    @Override
    public void arrayCreated(Object array, Object[] elements) {
        try {
            UnitOfWorkState unit = units.get();
            if (unit != null && unit != CurrentUnit.SUPPRESSED) {
                unit.detection.arrays.record(array, elements);
            }
        } catch (Throwable t) {
            errors.report("connection-call", t);
        }
    }

    @Override
    public void schemaChanged() {
        try {
            UnitOfWorkState unit = units.get();
            if (unit != null && unit != CurrentUnit.SUPPRESSED) {
                unit.detection.schemaChanged();
            }
        } catch (Throwable t) {
            errors.report("connection-call", t);
        }
    }
}
