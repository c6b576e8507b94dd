package dev.querylens.agent.it;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JDKs every integration test runs its application on. A missing JDK fails the test, never skips it. */
enum Jdk {
    /** The JDK running the build: the project's Java 17 baseline. */
    DEFAULT(Path.of(System.getProperty("java.home"))),
    /** Temurin 25, beside the default JDK on this machine and CI's. */
    JDK25(Path.of(System.getProperty("querylens.it.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64")));

    private final Path home;

    Jdk(Path home) {
        this.home = home;
    }

    String java() {
        return tool("java");
    }

    /** A tool of this JDK's {@code bin} directory ({@code java}, {@code jcmd}). */
    String tool(String name) {
        Path tool = home.resolve("bin").resolve(name);
        assertTrue(Files.isExecutable(tool), "the integration tests need " + tool + " (" + this + "); install it, or "
                + "point -Dquerylens.it.jdk25 at a JDK 25 home");
        return tool.toString();
    }
}
