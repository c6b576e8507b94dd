package dev.querylens.benchmarks.micro;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A few-second pass of two benchmarks in this JVM (no fork, no warmup, one 100 ms iteration), so that a change
 * that breaks a benchmark fails the build. It checks that they run, never how fast.
 */
class MicroSmokeTest {

    @Test
    void statementAndFingerprintBenchmarksRun() throws Exception {
        Options options = new OptionsBuilder()
                .include(StatementBenchmark.class.getName() + ".select$")
                .include(FingerprintBenchmark.class.getName() + ".cacheMiss$")
                .param("variant", Variants.QUERYLENS)
                .param("length", "short")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .build();
        // a smoke pass measures nothing, so it need not wait for, or fail on, a real benchmark run holding JMH's lock
        System.setProperty("jmh.ignoreLock", "true");
        Collection<RunResult> results = new Runner(options).run();
        assertEquals(2, results.size());
    }
}
