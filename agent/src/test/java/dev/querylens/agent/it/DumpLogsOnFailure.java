package dev.querylens.agent.it;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.nio.file.Files;
import java.nio.file.Path;

/** Prints the output of every JVM the failed test started. */
final class DumpLogsOnFailure implements BeforeEachCallback, TestWatcher {

    @Override
    public void beforeEach(ExtensionContext context) {
        ChildJvm.STARTED.clear();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        for (Path log : ChildJvm.STARTED) {
            try {
                System.out.println("===== " + log + " =====");
                System.out.println(Files.readString(log));
                System.out.println("===== end of " + log + " =====");
            } catch (Exception e) {
                System.out.println("could not read " + log + ": " + e);
            }
        }
    }
}
