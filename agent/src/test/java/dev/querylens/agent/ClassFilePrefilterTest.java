package dev.querylens.agent;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The constant-pool walk that keeps classes away from Byte Buddy, on real class files: it must let through every
 * class that declares an advised method (else the class would go uninstrumented), turn away those that name none,
 * and let through what it cannot read.
 */
class ClassFilePrefilterTest {

    private static final byte[][] ADVISED = Instrumenter.ADVISED_DESCRIPTORS;

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
            assertTrue(ClassFilePrefilter.mentionsAnyStart(classFile(c), ADVISED), c.getName());
        }
    }

    @Test
    void classesThatNameNoneAreTurnedAway() throws IOException {
        // Math and Long: double and long constants among the rest
        for (Class<?> c : List.of(java.util.ArrayList.class, java.util.HashMap.class, Math.class, Long.class,
                java.time.Duration.class)) {
            assertFalse(ClassFilePrefilter.mentionsAnyStart(classFile(c), ADVISED), c.getName());
        }
    }

    /**
     * By descriptor, not by name: a class whose methods are merely called {@code service} or {@code getConnection}
     * is turned away; one that declares {@code service(ServletRequest, ServletResponse)} goes through, and so does a
     * covariant {@code getConnection} (javac adds a bridge with the {@code Connection} descriptor).
     */
    @Test
    void methodsAreRecognisedByTheirDescriptorsNotTheirNames() {
        assertFalse(ClassFilePrefilter.mentionsAnyStart(declaring("com/example/Billing", "service",
                "(Ljava/lang/String;)V"), ADVISED), "service(String)");
        assertFalse(ClassFilePrefilter.mentionsAnyStart(declaring("com/example/Pool", "getConnection",
                "()Ljava/lang/Object;"), ADVISED), "Object getConnection()");
        assertTrue(ClassFilePrefilter.mentionsAnyStart(declaring("com/example/Servlet", "service",
                "(Ljakarta/servlet/ServletRequest;Ljakarta/servlet/ServletResponse;)V"), ADVISED));
        assertTrue(ClassFilePrefilter.mentionsAnyStart(declaring("com/example/Filter", "doFilter",
                "(Ljavax/servlet/ServletRequest;Ljava/lang/Object;Ljava/lang/Object;)V"), ADVISED),
                "doFilter is matched by its first parameter only");
        assertTrue(ClassFilePrefilter.mentionsAny(declaring("com/example/Billing", "service", "(Ljava/lang/String;)V"),
                ClassFilePrefilter.utf8("service")), "the name is in the pool all the same");
    }

    abstract static class BaseDataSource {
        abstract Connection getConnection();
    }

    /** Declares only {@code JdbcConnection getConnection()}: the {@code Connection} one is javac's bridge. */
    static final class CovariantDataSource extends BaseDataSource {
        @Override
        org.h2.jdbc.JdbcConnection getConnection() {
            return null;
        }
    }

    @Test
    void aCovariantGetConnectionIsLetThroughByItsBridge() throws IOException {
        assertTrue(ClassFilePrefilter.mentionsAnyStart(classFile(CovariantDataSource.class), ADVISED));
    }

    @Test
    void whatCannotBeReadIsLetThrough() throws IOException {
        byte[] list = classFile(java.util.ArrayList.class);
        assertTrue(ClassFilePrefilter.mentionsAnyStart(null, ADVISED));
        assertTrue(ClassFilePrefilter.mentionsAnyStart(new byte[3], ADVISED));
        assertTrue(ClassFilePrefilter.mentionsAnyStart(Arrays.copyOf(list, 200), ADVISED), "cut short");
        byte[] unknownTag = list.clone();
        unknownTag[10] = 99; // the first constant's tag
        assertTrue(ClassFilePrefilter.mentionsAnyStart(unknownTag, ADVISED), "a constant of a kind it does not know");
        byte[] notAClass = list.clone();
        notAClass[0] = 0;
        assertTrue(ClassFilePrefilter.mentionsAnyStart(notAClass, ADVISED), "no class file magic");
    }

    /**
     * The work instrumentation's filter: a Quartz job (a class declaring {@code execute(JobExecutionContext)}) in a
     * loader that sees Quartz goes through; any other class never makes its loader look for Quartz, a search of
     * every jar the loader has when Quartz is absent.
     */
    @Test
    void onlyAClassThatMayBeAQuartzJobMakesItsLoaderLookForQuartz() throws IOException {
        AtomicInteger lookups = new AtomicInteger();
        ClassLoader seesQuartz = new ClassLoader(null) {
            @Override
            public URL getResource(String name) {
                lookups.incrementAndGet();
                return name.equals("org/quartz/Job.class") ? getSystemResource("java/lang/Object.class") : null;
            }
        };
        ClassFilePrefilter.Filter filter = WorkInstrumentation.prefilter(Set.of("java/util/concurrent/ForkJoinTask"),
                new WorkInstrumentation.SeesResource("org/quartz/Job.class"));

        for (Class<?> c : List.of(java.util.ArrayList.class, JdbcDataSource.class, WithWideConstants.class)) {
            assertFalse(filter.mayMatch(seesQuartz, c.getName().replace('.', '/'), classFile(c)), c.getName());
        }
        assertEquals(0, lookups.get(), "classes that cannot be jobs made the loader search for Quartz");
        assertTrue(filter.mayMatch(null, "java/util/concurrent/ForkJoinTask", classFile(ForkJoinTask.class)));

        byte[] job = quartzJob("com/example/ArchiveJob");
        assertTrue(filter.mayMatch(seesQuartz, "com/example/ArchiveJob", job));
        assertTrue(filter.mayMatch(seesQuartz, "com/example/OtherJob", quartzJob("com/example/OtherJob")));
        assertEquals(1, lookups.get(), "one lookup per loader");
        assertFalse(filter.mayMatch(new ClassLoader(null) {
        }, "com/example/ArchiveJob", job), "a loader without Quartz");
    }

    /** A class that declares one method, with an empty body. */
    private static byte[] declaring(String internalName, String method, String descriptor) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, internalName, null, "java/lang/Object", null);
        MethodVisitor m = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, method, descriptor, null, null);
        m.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** The class file javac makes of {@code class Name implements org.quartz.Job { public void execute(...) {} }}. */
    private static byte[] quartzJob(String internalName) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, internalName, null, "java/lang/Object",
                new String[] {"org/quartz/Job"});
        MethodVisitor execute = writer.visitMethod(Opcodes.ACC_PUBLIC, "execute",
                "(Lorg/quartz/JobExecutionContext;)V", null, new String[] {"org/quartz/JobExecutionException"});
        execute.visitCode();
        execute.visitInsn(Opcodes.RETURN);
        execute.visitMaxs(0, 2);
        execute.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    private static byte[] classFile(Class<?> c) throws IOException {
        String resource = c.getName().replace('.', '/') + ".class";
        ClassLoader loader = c.getClassLoader() == null ? ClassLoader.getSystemClassLoader() : c.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }
}
