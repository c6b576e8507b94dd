package dev.querylens.agent;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The constant-pool walk that keeps classes away from Byte Buddy, on real class files: it must let through every
 * class that declares an advised method (else the class would go uninstrumented), turn away those that name none,
 * and let through what it cannot read.
 */
class ClassFilePrefilterTest {

    private static final byte[][] ADVISED = ClassFilePrefilter.utf8("getConnection", "doFilter", "service", "render");

    /** Long and double constants take two constant-pool slots; a walk that got them wrong would lose its place. */
    static final class WithWideConstants {
        long big = 1_234_567_890_123L;
        double ratio = 0.314159;

        Connection getConnection() {
            return big > ratio ? null : null;
        }
    }

    @Test
    void classesThatDeclareAnAdvisedMethodAreLetThrough() throws IOException {
        for (Class<?> c : List.of(JdbcDataSource.class, javax.servlet.GenericServlet.class,
                javax.servlet.http.HttpServlet.class, javax.servlet.Filter.class, WithWideConstants.class)) {
            assertTrue(ClassFilePrefilter.mentionsAny(classFile(c), ADVISED), c.getName());
        }
    }

    @Test
    void classesThatNameNoneAreTurnedAway() throws IOException {
        // Math and Long: double and long constants among the rest
        for (Class<?> c : List.of(java.util.ArrayList.class, java.util.HashMap.class, Math.class, Long.class,
                java.time.Duration.class)) {
            assertFalse(ClassFilePrefilter.mentionsAny(classFile(c), ADVISED), c.getName());
        }
    }

    @Test
    void whatCannotBeReadIsLetThrough() throws IOException {
        byte[] list = classFile(java.util.ArrayList.class);
        assertTrue(ClassFilePrefilter.mentionsAny(null, ADVISED));
        assertTrue(ClassFilePrefilter.mentionsAny(new byte[3], ADVISED));
        assertTrue(ClassFilePrefilter.mentionsAny(Arrays.copyOf(list, 200), ADVISED), "cut short");
        byte[] unknownTag = list.clone();
        unknownTag[10] = 99; // the first constant's tag
        assertTrue(ClassFilePrefilter.mentionsAny(unknownTag, ADVISED), "a constant of a kind it does not know");
        byte[] notAClass = list.clone();
        notAClass[0] = 0;
        assertTrue(ClassFilePrefilter.mentionsAny(notAClass, ADVISED), "no class file magic");
    }

    private static byte[] classFile(Class<?> c) throws IOException {
        String resource = c.getName().replace('.', '/') + ".class";
        ClassLoader loader = c.getClassLoader() == null ? ClassLoader.getSystemClassLoader() : c.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }
}
