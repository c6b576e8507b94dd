package dev.querylens.agent;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isDefaultFinalizer;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.isVirtual;
import static net.bytebuddy.matcher.ElementMatchers.isVisibleTo;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * A class file transformer that inlines Byte Buddy {@link net.bytebuddy.asm.Advice} into the classes its rules
 * match, with {@link ByteBuddy#decorate} (methods visited, no class format change, so loaded classes can be
 * retransformed). Byte Buddy's {@code AgentBuilder} is not used: at start it generates and loads a class of its own
 * and sets up machinery (discovery, resubmission, batching strategies) that these few advised types do not need,
 * about a third of the agent's start.
 *
 * <p>A class goes through, in order: the {@link ClassFilePrefilter.Filter} (its loader, name and constant pool, no
 * Byte Buddy), a guard against re-entrance (a class loaded while another is woven on the same thread is left as it
 * is, as with {@code AgentBuilder}'s circularity lock), a description from a {@link TypePool} over the class file and
 * its loader's resources (no class is loaded; retried with a {@link LoadedFallbackPool} when a type has no class
 * file), then the rules. Every rule that matches adds its advice. Nothing
 * thrown inside reaches the class loading: it is logged ({@link Errors}) and the class is left as it is.
 */
final class Weaver implements ClassFileTransformer {

    /** Types (and the loaders they are in) that get an advice. */
    record Rule(ElementMatcher<? super TypeDescription> type, ElementMatcher<? super ClassLoader> loader,
                List<AsmVisitorWrapper> advice) {
    }

    private static final ElementMatcher<ClassLoader> ANY_LOADER = loader -> true;

    private final ClassFilePrefilter.Filter prefilter;
    private final List<Rule> rules = new ArrayList<>();
    /**
     * Advice only rewrites methods a class declares, so the method graph is of its declared methods: the default
     * compiler also resolves every method of every supertype, a third of the time spent weaving a class.
     */
    private ByteBuddy byteBuddy = byteBuddy(false);
    private final ThreadLocal<Boolean> weaving = new ThreadLocal<>();

    Weaver(ClassFilePrefilter.Filter prefilter) {
        this.prefilter = prefilter;
    }

    /**
     * Lets the rules advise bridge methods too, which Byte Buddy's graph of declared methods leaves out: a class that
     * overrides {@code Connection getConnection()} with a covariant return type (Druid's returns its
     * {@code DruidPooledConnection}) is called through the bridge javac adds, which returns {@code Connection}. Not
     * for rules whose methods have covariant overrides of their own (the JDK's {@code submit} and
     * {@code CompletableFuture}'s steps): the bridge would run the advice a second time around the same call.
     */
    Weaver adviseBridgeMethods() {
        byteBuddy = byteBuddy(true);
        return this;
    }

    private static ByteBuddy byteBuddy(boolean bridges) {
        ByteBuddy byteBuddy = new ByteBuddy().with(TypeValidation.DISABLED);
        return bridges
                // Byte Buddy ignores synthetic methods by default, and a bridge is synthetic
                ? byteBuddy.with(DeclaredMethodsAndBridges.INSTANCE)
                        .ignore(isSynthetic().and(not(isBridge())).or(isDefaultFinalizer()))
                : byteBuddy.with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);
    }

    /** Byte Buddy's {@code ForDeclaredMethods}, bridge methods kept. */
    static final class DeclaredMethodsAndBridges extends MethodGraph.Compiler.AbstractBase {
        static final DeclaredMethodsAndBridges INSTANCE = new DeclaredMethodsAndBridges();

        @Override
        public MethodGraph.Linked compile(TypeDefinition type, TypeDescription viewPoint) {
            LinkedHashMap<MethodDescription.SignatureToken, MethodGraph.Node> nodes = new LinkedHashMap<>();
            for (MethodDescription method : type.getDeclaredMethods().filter(isVirtual().and(isVisibleTo(viewPoint)))) {
                nodes.put(method.asSignatureToken(), new MethodGraph.Node.Simple(method));
            }
            return new MethodGraph.Linked.Delegation(new MethodGraph.Simple(nodes), MethodGraph.Empty.INSTANCE,
                    Map.of());
        }
    }

    Weaver rule(ElementMatcher<? super TypeDescription> type, AsmVisitorWrapper... advice) {
        return rule(type, ANY_LOADER, advice);
    }

    Weaver rule(ElementMatcher<? super TypeDescription> type, ElementMatcher<? super ClassLoader> loader,
                AsmVisitorWrapper... advice) {
        rules.add(new Rule(type, loader, List.of(advice)));
        return this;
    }

    /**
     * Registers the transformer, then retransforms the loaded classes that {@code loaded} picks (the JDK's classes,
     * and the application's after a late attach); {@code loaded} may pick more than the rules take, never fewer.
     */
    void install(Instrumentation inst, Predicate<Class<?>> loaded) {
        inst.addTransformer(this, true);
        List<Class<?>> batch = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            try {
                if (!c.isArray() && !c.isPrimitive() && loaded.test(c) && inst.isModifiableClass(c)) {
                    batch.add(c);
                }
            } catch (Throwable t) {
                // a class that cannot be looked at (a supertype missing) is left as it is
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            inst.retransformClasses(batch.toArray(new Class<?>[0]));
        } catch (Throwable batchFailed) {
            // one class the JVM refused: the others are retransformed one by one
            for (Class<?> c : batch) {
                try {
                    inst.retransformClasses(c);
                } catch (Throwable t) {
                    Errors.INSTANCE.onError(c.getName(), t);
                }
            }
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFile) {
        if (className == null || classFile == null || !prefilter.mayMatch(loader, className, classFile)
                || weaving.get() != null) {
            return null;
        }
        weaving.set(Boolean.TRUE);
        try {
            return weave(loader, className.replace('/', '.'), classFile);
        } catch (Throwable t) {
            Errors.INSTANCE.onError(className.replace('/', '.'), t);
            return null;
        } finally {
            weaving.remove();
        }
    }

    private byte[] weave(ClassLoader loader, String name, byte[] classFile) {
        try {
            return weave(loader, name, classFile, false);
        } catch (TypePool.Resolution.NoSuchTypeException missing) {
            // a type without a class file (another agent's generated interface): described from its loaded class,
            // a slower pool, so only for the classes that need it
            return weave(loader, name, classFile, true);
        }
    }

    private byte[] weave(ClassLoader loader, String name, byte[] classFile, boolean loadedFallback) {
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile),
                ClassFileLocator.ForClassLoader.of(loader));
        TypePool pool = loadedFallback ? new LoadedFallbackPool(locator, loader)
                : new TypePool.Default.WithLazyResolution(TypePool.CacheProvider.Simple.withObjectType(), locator,
                TypePool.Default.ReaderMode.FAST);
        TypeDescription type = pool.describe(name).resolve();
        DynamicType.Builder<?> builder = null;
        for (Rule rule : rules) {
            if (rule.loader().matches(loader) && rule.type().matches(type)) {
                if (builder == null) {
                    builder = byteBuddy.decorate(type, locator);
                }
                for (AsmVisitorWrapper advice : rule.advice()) {
                    builder = builder.visit(advice);
                }
            }
        }
        return builder == null ? null : builder.make(pool).getBytes();
    }

    /**
     * Describes types from their class files, and a type that has none from its class when it is already loaded: a
     * class another agent generated at run time (the OpenTelemetry agent adds interfaces it defines in the bootstrap
     * class loader, without class files, to the classes it instruments, HikariCP's DataSource and Spring's
     * {@code DispatcherServlet} among them). Without it such a class's hierarchy cannot be resolved and it would run
     * uninstrumented. {@code Class.forName} without initialising finds what is loaded; it could load only a class its
     * loader can define yet has no class file for, which is then left as it is by the guard against re-entrance.
     */
    static final class LoadedFallbackPool extends TypePool.Default {
        private final ClassLoader loader;

        LoadedFallbackPool(ClassFileLocator locator, ClassLoader loader) {
            super(TypePool.CacheProvider.Simple.withObjectType(), locator, TypePool.Default.ReaderMode.FAST);
            this.loader = loader;
        }

        /** What is described here is cached by the pool, the fallback's description too. */
        @Override
        protected Resolution doDescribe(String name) {
            Resolution resolution = super.doDescribe(name);
            if (resolution.isResolved()) {
                return resolution;
            }
            try {
                return new Resolution.Simple(TypeDescription.ForLoadedType.of(Class.forName(name, false, loader)));
            } catch (Throwable notLoaded) {
                return resolution;
            }
        }
    }

    /** Whether {@code type} or one of its supertypes has one of {@code names}, by name (nothing is loaded). */
    static boolean hasSuperTypeNamed(Class<?> type, Set<String> names) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (names.contains(c.getName()) || hasInterfaceNamed(c, names)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasInterfaceNamed(Class<?> type, Set<String> names) {
        for (Class<?> i : type.getInterfaces()) {
            if (names.contains(i.getName()) || hasInterfaceNamed(i, names)) {
                return true;
            }
        }
        return false;
    }

    /** One line per class that could not be woven (a few at most): the application runs on with it as it is. */
    static final class Errors {
        static final Errors INSTANCE = new Errors();
        private static final int MAX_LOGGED = 5;

        private final AtomicInteger logged = new AtomicInteger();
        private final Set<String> seen = ConcurrentHashMap.newKeySet();

        void onError(String typeName, Throwable throwable) {
            if (throwable instanceof TypePool.Resolution.NoSuchTypeException) {
                // a supertype is missing from the class path: the class cannot be loaded anyway, the application's
                // own error says why
                return;
            }
            int n = logged.get();
            if (n > MAX_LOGGED || !seen.add(typeName)) {
                return;
            }
            n = logged.incrementAndGet();
            if (n <= MAX_LOGGED) {
                AgentLog.line("could not instrument " + typeName + "; it runs uninstrumented, its statements or requests "
                        + "may be missed", throwable);
            } else if (n == MAX_LOGGED + 1) {
                AgentLog.line("more classes could not be instrumented; not logging them");
            }
        }
    }
}
