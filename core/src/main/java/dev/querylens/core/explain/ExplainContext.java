package dev.querylens.core.explain;

import dev.querylens.core.detect.Finding;
import dev.querylens.core.sql.SqlSyntax;
import io.micrometer.core.instrument.Counter;

import javax.sql.DataSource;

/** What the {@link ExplainSampler} needs of the engine that runs it; nothing more. */
public interface ExplainContext {

    /** The application frame that ran the current statement (a stack walk: once per sampled statement). */
    String callSite();

    /** Marks this thread as running Querylens's own SQL, never counted or sampled, until the scope closes. */
    AutoCloseable suppress();

    /** The {@code DataSource} the application's statements of data source {@code name} came from, or {@code null}. */
    DataSource dataSource(String name);

    /** {@code sql}, written as {@code syntax} reads it (say, a plan's filter), with every value replaced by {@code ?}: safe to show. */
    String normalize(String sql, SqlSyntax syntax);

    /** Records a finding: counted, kept and logged. Never throws. */
    void report(Finding finding);

    /** Counts and logs (once per place) a failure inside the sampler. Never throws. */
    void error(String place, Throwable error);

    /** The {@code querylens.explain} counter of one outcome ({@code ok}, {@code seqscan}, ...). */
    Counter outcomeCounter(String outcome);
}
