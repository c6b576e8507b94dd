package dev.querylens.agent;

import dev.querylens.agent.advice.GetConnectionAdvice;
import dev.querylens.agent.advice.ServletAdvice;
import dev.querylens.agent.advice.ViewRenderAdvice;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isExtensionClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameContains;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Installs the advice with Byte Buddy: retransformation (classes loaded before the agent are instrumented too), no
 * class format changes, inlined {@link Advice} only. The agent's own and the JDK's classes are ignored by name and
 * class loader before any hierarchy is looked at.
 */
final class Instrumenter {

    /**
     * Not just {@code DataSource}: a DataSource often inherits {@code getConnection} from a base class that only
     * implements {@code CommonDataSource} (PostgreSQL's {@code PGSimpleDataSource extends BaseDataSource}). Whether
     * the object really is a {@code DataSource} is checked when the method runs.
     */
    private static final String DATA_SOURCE = "javax.sql.CommonDataSource";
    private static final String[] SERVLET_REQUESTS = {"jakarta.servlet.ServletRequest", "javax.servlet.ServletRequest"};
    private static final String[] SERVLET_TYPES = {
            "jakarta.servlet.Filter", "javax.servlet.Filter", "jakarta.servlet.Servlet", "javax.servlet.Servlet"};
    /**
     * Classes that are no {@code CommonDataSource} at all but declare the {@code getConnection} their DataSource
     * subclasses inherit: Tomcat JDBC's {@code DataSource extends DataSourceProxy}.
     */
    private static final String[] INHERITED_GET_CONNECTION = {"org.apache.tomcat.jdbc.pool.DataSourceProxy"};
    private static final String DISPATCHER_SERVLET = "org.springframework.web.servlet.DispatcherServlet";
    /**
     * A class that declares none of the methods the advice goes on has none of their names in its constant pool,
     * and is turned away before Byte Buddy parses it ({@link ClassFilePrefilter}). {@code render} is
     * {@code DispatcherServlet}'s; the named types declare one of these too.
     */
    private static final byte[][] ADVISED_METHODS = ClassFilePrefilter.utf8("getConnection", "doFilter", "service", "render");
    private static final int MAX_ERRORS_LOGGED = 5;
    /** Relocated with Byte Buddy by the shade plugin, like Byte Buddy's own constant. */
    private static final String SAFE_PROPERTY = "net.bytebuddy.safe";

    private Instrumenter() {
    }

    static void install(Instrumentation inst) {
        ElementMatcher.Junction<MethodDescription> getConnection = named("getConnection")
                .and(not(isAbstract()))
                .and(returns(named("java.sql.Connection")))
                .and(takesArguments(0).or(takesArguments(String.class, String.class)));
        ElementMatcher.Junction<MethodDescription> doFilter = named("doFilter")
                .and(not(isAbstract()))
                .and(takesArguments(3))
                .and(takesArgument(0, namedOneOf(SERVLET_REQUESTS)));
        ElementMatcher.Junction<MethodDescription> service = named("service")
                .and(not(isAbstract()))
                .and(takesArguments(2))
                .and(takesArgument(0, namedOneOf(SERVLET_REQUESTS)));
        // Byte Buddy's safe mode: no sun.misc.Unsafe (JDK 24+ warns about it on stderr), which advice without class
        // format changes never needs. Shading renames the property, so it concerns the agent's copy only.
        if (System.getProperty(SAFE_PROPERTY) == null) {
            System.setProperty(SAFE_PROPERTY, "true");
        }
        ElementMatcher.Junction<MethodDescription> render = named("render")
                .and(not(isAbstract()))
                .and(takesArguments(3))
                .and(takesArgument(0, named("org.springframework.web.servlet.ModelAndView")));
        Advice renderAdvice = Advice.to(ViewRenderAdvice.class);
        Advice connectionAdvice = Advice.to(GetConnectionAdvice.class);
        Advice servletAdvice = Advice.to(ServletAdvice.class);

        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(errorListener())
                // before anything of Byte Buddy's: the JDK's loaders, and classes that name none of the methods
                .with(ClassFilePrefilter.decorator((loader, name, classFile) -> loader != null && loader != platform
                        && ClassFilePrefilter.mentionsAny(classFile, ADVISED_METHODS)))
                // cheap name and class-loader checks first; the hierarchy is only looked at for what is left
                .ignore(nameStartsWith("java.")
                        .or(nameStartsWith("jdk."))
                        .or(nameStartsWith("sun."))
                        .or(nameStartsWith("com.sun."))
                        // the agent itself (shaded libraries included), and the application's own Querylens
                        .or(nameStartsWith("dev.querylens.agent."))
                        .or(nameStartsWith("dev.querylens.core."))
                        .or(nameStartsWith("dev.querylens.spring."))
                        .or(nameStartsWith("net.bytebuddy."))
                        .or(nameContains("$$Lambda"))
                        .or(nameContains("$Proxy"))
                        .or(isSynthetic()))
                .or(any(), isBootstrapClassLoader().or(isExtensionClassLoader()))
                // Spring MVC renders every view here (a name match, no hierarchy); not a terminal transformation, so
                // the one below still applies to any type it matches
                .type(named(DISPATCHER_SERVLET))
                .transform((builder, type, loader, module, domain) -> builder.visit(renderAdvice.on(render)))
                // only a class that declares one of the methods is worth its hierarchy: a subclass that does not
                // override them runs its superclass's instrumented code
                .type(namedOneOf(INHERITED_GET_CONNECTION).or(not(isInterface())
                        .and(declaresMethod(getConnection.or(doFilter).or(service)))
                        .and(hasSuperType(namedOneOf(
                                DATA_SOURCE, SERVLET_TYPES[0], SERVLET_TYPES[1], SERVLET_TYPES[2], SERVLET_TYPES[3])))))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(connectionAdvice.on(getConnection))
                        .visit(servletAdvice.on(doFilter.or(service))))
                .installOn(inst);
    }

    /** The listener that logs classes that could not be instrumented; one for every agent builder. */
    static AgentBuilder.Listener errorListener() {
        return ERRORS;
    }

    private static final AgentBuilder.Listener ERRORS = new ErrorListener();

    /** One line per failed class (a few at most): the application runs on with that class uninstrumented. */
    private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
        private final AtomicInteger logged = new AtomicInteger();
        private final Set<String> seen = ConcurrentHashMap.newKeySet();

        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded, Throwable throwable) {
            if (throwable instanceof TypePool.Resolution.NoSuchTypeException) {
                // a supertype is missing from the class path: the class cannot be loaded anyway, the application's
                // own error says why
                return;
            }
            int n = logged.get();
            if (n > MAX_ERRORS_LOGGED || !seen.add(typeName)) {
                return;
            }
            n = logged.incrementAndGet();
            if (n <= MAX_ERRORS_LOGGED) {
                AgentLog.line("could not instrument " + typeName + "; it runs uninstrumented, its statements or requests "
                        + "may be missed", throwable);
            } else if (n == MAX_ERRORS_LOGGED + 1) {
                AgentLog.line("more classes could not be instrumented; not logging them");
            }
        }
    }
}
