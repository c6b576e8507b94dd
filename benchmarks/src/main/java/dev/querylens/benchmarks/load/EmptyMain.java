package dev.querylens.benchmarks.load;

import java.io.IOException;

/**
 * The application of {@link StartupSuite}: a {@code main} that does nothing but say so, then waits for its standard
 * input to close, so that its CPU time is read while the process still exists.
 */
public final class EmptyMain {

    static final String READY = "EmptyMain READY";

    private EmptyMain() {
    }

    public static void main(String[] args) throws IOException {
        System.out.println(READY);
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the suite closes the pipe
        }
    }
}
