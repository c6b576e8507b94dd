package dev.querylens.agent;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.querylens.agent.hooks.TaskHooks;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's transformer on real class files, defined and run in a class loader of their own: it weaves what a
 * rule matches, leaves alone what the prefilter or the rules turn away, and lets nothing thrown inside escape. The
 * end-to-end proof (every advised type in a real agent JVM, with retransformation and a late attach) is in the ITs.
 */
class WeaverTest {

    /** The class woven: {@code greet} returns what it is given. */
    public static class Greeter {
        public String greet(String name) {
            return name;
        }
    }

    public static final class Shout {
        @Advice.OnMethodExit
        static void exit(@Advice.Return(readOnly = false) String greeting) {
            greeting = greeting.toUpperCase();
        }
    }

    private static final String GREETER = Greeter.class.getName().replace('.', '/');

    /** Returns a {@code CharSequence}, overridden with a covariant return type (as Druid's getConnection). */
    public interface Source {
        CharSequence get();
    }

    public static class CovariantSource implements Source {
        @Override
        public StringBuilder get() {
            return new StringBuilder("plain");
        }
    }

    public static final class Replace {
        @Advice.OnMethodExit
        static void exit(@Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object value) {
            value = "advised";
        }
    }

    @Test
    void aCovariantOverrideIsAdvisedThroughItsBridgeWhenBridgesAreAdvised() throws Exception {
        String name = CovariantSource.class.getName();
        for (boolean bridges : new boolean[] {false, true}) {
            Weaver weaver = new Weaver((loader, n, classFile) -> true)
                    .rule(named(name), Advice.to(Replace.class).on(named("get").and(returns(CharSequence.class))));
            if (bridges) {
                weaver.adviseBridgeMethods();
            }
            byte[] woven = weaver.transform(getClass().getClassLoader(), name.replace('.', '/'), null, null,
                    classFile(CovariantSource.class));
            Source source = (Source) define(name, woven == null ? classFile(CovariantSource.class) : woven)
                    .getConstructor().newInstance();
            // only the bridge returns CharSequence: the covariant method itself is never given a String
            assertEquals(bridges ? "advised" : "plain", source.get().toString(), "bridges advised: " + bridges);
        }
    }

    @Test
    void weavesTheAdviceIntoWhatARuleMatches() throws Exception {
        Weaver weaver = new Weaver((loader, name, classFile) -> true)
                .rule(named(Greeter.class.getName()), Advice.to(Shout.class).on(named("greet")));
        byte[] woven = weaver.transform(getClass().getClassLoader(), GREETER, null, null, classFile(Greeter.class));

        assertNotNull(woven);
        Object greeter = define(Greeter.class.getName(), woven).getConstructor().newInstance();
        assertEquals("HELLO", greeter.getClass().getMethod("greet", String.class).invoke(greeter, "hello"));
    }

    @Test
    void whatThePrefilterTurnsAwayIsNeverDescribed() throws IOException {
        AtomicInteger described = new AtomicInteger();
        ElementMatcher<TypeDescription> counting = type -> described.incrementAndGet() > 0;
        Weaver weaver = new Weaver((loader, name, classFile) -> false)
                .rule(counting, Advice.to(Shout.class).on(named("greet")));

        assertNull(weaver.transform(getClass().getClassLoader(), GREETER, null, null, classFile(Greeter.class)));
        assertEquals(0, described.get());
    }

    @Test
    void aClassNoRuleMatchesIsLeftAsItIs() throws IOException {
        Weaver weaver = new Weaver((loader, name, classFile) -> true)
                .rule(named("com.example.Other"), Advice.to(Shout.class).on(named("greet")))
                .rule(named(Greeter.class.getName()), type -> false, Advice.to(Shout.class).on(named("greet")));

        assertNull(weaver.transform(getClass().getClassLoader(), GREETER, null, null, classFile(Greeter.class)));
    }

    @Test
    void nothingThrownInsideReachesTheClassLoading() throws IOException {
        Weaver failing = new Weaver((loader, name, classFile) -> true)
                .rule(type -> {
                    throw new IllegalStateException("a matcher that fails");
                }, Advice.to(Shout.class).on(named("greet")));
        Weaver unreadable = new Weaver((loader, name, classFile) -> true)
                .rule(named("com.example.Broken"), Advice.to(Shout.class).on(named("greet")));

        assertNull(failing.transform(getClass().getClassLoader(), GREETER, null, null, classFile(Greeter.class)));
        assertNull(unreadable.transform(getClass().getClassLoader(), "com/example/Broken", null, null,
                new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0}));
        assertNull(unreadable.transform(getClass().getClassLoader(), null, null, null, classFile(Greeter.class)));
    }

    /**
     * Another agent's instrumentation can add an interface it generated at run time, with no class file anywhere
     * (the OpenTelemetry agent does so to HikariCP's DataSource, Spring's DispatcherServlet and more): the class is
     * still woven, the interface described from its loaded class.
     */
    @Test
    void aClassWhoseInterfaceHasNoClassFileIsWovenAllTheSame() throws Exception {
        InjectingLoader loader = new InjectingLoader();
        loader.define("com.example.Injected", type("com/example/Injected",
                Opcodes.ACC_PUBLIC | Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT, null));
        byte[] woven = new Weaver((l, name, classFile) -> true)
                .rule(hasSuperType(named("com.example.Injected")), Advice.to(Shout.class).on(named("greet")))
                .transform(loader, "com/example/Greeting", null, null,
                        type("com/example/Greeting", Opcodes.ACC_PUBLIC, "com/example/Injected"));

        assertNotNull(woven, "left unwoven: the interface's description could not be found");
        Class<?> greeting = loader.define("com.example.Greeting", woven);
        Object instance = greeting.getConstructor().newInstance();
        assertEquals("HELLO", greeting.getMethod("greet", String.class).invoke(instance, "hello"));
    }

    /** Defines classes from bytes only: none of them can be found as a resource. */
    private static final class InjectingLoader extends ClassLoader {
        InjectingLoader() {
            super(WeaverTest.class.getClassLoader());
        }

        Class<?> define(String name, byte[] classFile) {
            return defineClass(name, classFile, 0, classFile.length);
        }
    }

    /** An interface, or a class with a constructor and {@code String greet(String s) { return s; }}. */
    private static byte[] type(String internalName, int access, String anInterface) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        writer.visit(Opcodes.V17, access, internalName, null, "java/lang/Object",
                anInterface == null ? null : new String[] {anInterface});
        if ((access & Opcodes.ACC_INTERFACE) == 0) {
            MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
            init.visitCode();
            init.visitVarInsn(Opcodes.ALOAD, 0);
            init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
            init.visitInsn(Opcodes.RETURN);
            init.visitMaxs(0, 0);
            init.visitEnd();
            MethodVisitor greet = writer.visitMethod(Opcodes.ACC_PUBLIC, "greet",
                    "(Ljava/lang/String;)Ljava/lang/String;", null, null);
            greet.visitCode();
            greet.visitVarInsn(Opcodes.ALOAD, 1);
            greet.visitInsn(Opcodes.ARETURN);
            greet.visitMaxs(0, 0);
            greet.visitEnd();
        }
        writer.visitEnd();
        return writer.toByteArray();
    }

    @Test
    void supertypesAreFoundByNameThroughClassesAndInterfaces() {
        assertTrue(Weaver.hasSuperTypeNamed(ScheduledThreadPoolExecutor.class,
                Set.of("java.util.concurrent.AbstractExecutorService")));
        assertTrue(Weaver.hasSuperTypeNamed(ScheduledThreadPoolExecutor.class, Set.of("java.util.concurrent.Executor")),
                "an interface of an interface of a superclass");
        assertFalse(Weaver.hasSuperTypeNamed(ForkJoinPool.class, Set.of("java.util.concurrent.ThreadPoolExecutor")));
    }

    /**
     * One parsed advice serves every executor method and every {@code CompletableFuture} step: the kind of task is
     * bound from each method. Every asynchronous step of {@code CompletableFuture} is advised, and takes a function of a
     * kind the hooks know.
     */
    @Test
    void theKindOfTaskComesFromTheMethodAndTheTypeOfItsTask() throws NoSuchMethodException {
        assertEquals(TaskHooks.EXECUTED, kind(ThreadPoolExecutor.class.getMethod("execute", Runnable.class), 0));
        assertEquals(TaskHooks.RUNNABLE, kind(ThreadPoolExecutor.class.getMethod("submit", Runnable.class), 0));
        assertEquals(TaskHooks.CALLABLE, kind(ThreadPoolExecutor.class.getMethod("submit", Callable.class), 0));
        assertEquals(TaskHooks.CALLABLES, kind(ThreadPoolExecutor.class.getMethod("invokeAll",
                java.util.Collection.class), 0));
        assertEquals(TaskHooks.RUNNABLE, kind(ScheduledThreadPoolExecutor.class.getMethod("schedule", Runnable.class,
                long.class, TimeUnit.class), 0));
        assertEquals(TaskHooks.FUNCTION, kind(CompletableFuture.class.getMethod("thenApplyAsync", Function.class), 0));
        assertEquals(TaskHooks.SUPPLIER, kind(CompletableFuture.class.getMethod("supplyAsync",
                java.util.function.Supplier.class), 0));
        assertEquals(TaskHooks.BICONSUMER, kind(CompletableFuture.class.getMethod("thenAcceptBothAsync",
                java.util.concurrent.CompletionStage.class, java.util.function.BiConsumer.class), 1));
        assertThrows(IllegalStateException.class, () -> WorkInstrumentation.KindOfTask.kind("submit", "java.lang.Object"));

        int steps = 0;
        for (java.lang.reflect.Method m : CompletableFuture.class.getMethods()) {
            if (m.getName().endsWith("Async") && !m.getName().equals("defaultExecutor")) {
                int argument = m.getParameterCount() > 1 && java.util.concurrent.CompletionStage.class
                        .isAssignableFrom(m.getParameterTypes()[0]) ? 1 : 0;
                assertTrue(WorkInstrumentation.TASK_KINDS.containsKey(m.getParameterTypes()[argument].getName()),
                        m.toString());
                assertTrue(java.util.List.of(argument == 0 ? WorkInstrumentation.FIRST_ARGUMENT_STEPS
                        : WorkInstrumentation.SECOND_ARGUMENT_STEPS).contains(m.getName()), "not advised: " + m);
                steps++;
            }
        }
        assertTrue(steps > 30, "CompletableFuture's asynchronous steps: " + steps);
    }

    private static int kind(java.lang.reflect.Method method, int argument) {
        return WorkInstrumentation.KindOfTask.kind(method.getName(), method.getParameterTypes()[argument].getName());
    }

    private static Class<?> define(String name, byte[] classFile) throws ClassNotFoundException {
        return new ClassLoader(WeaverTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
                if (n.equals(name)) {
                    Class<?> c = findLoadedClass(n);
                    return c != null ? c : defineClass(n, classFile, 0, classFile.length);
                }
                return super.loadClass(n, resolve);
            }
        }.loadClass(name);
    }

    private static byte[] classFile(Class<?> c) throws IOException {
        try (InputStream in = c.getClassLoader().getResourceAsStream(c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }
}
