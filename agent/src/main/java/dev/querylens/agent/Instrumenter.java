package dev.querylens.agent;

import dev.querylens.agent.advice.GetConnectionAdvice;
import dev.querylens.agent.advice.ServletAdvice;
import dev.querylens.agent.advice.ViewRenderAdvice;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.lang.instrument.Instrumentation;
import java.util.Set;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Installs the advice on DataSources, servlets and filters with a {@link Weaver}: retransformation (classes loaded
 * before the agent are instrumented too), no class format changes, inlined {@link Advice} only. The agent's own and
 * the JDK's classes are turned away by name and class loader, and classes that name none of the advised methods by
 * their constant pool, before any hierarchy is looked at.
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
    private static final String DISPATCHER_SERVLET_FILE = DISPATCHER_SERVLET.replace('.', '/');
    /**
     * How the descriptors of the advised methods start: {@code getConnection()} and
     * {@code getConnection(String, String)} returning {@code Connection}, {@code doFilter} and {@code service} taking
     * a {@code ServletRequest} first. A class that declares one of them has that descriptor in its constant pool (a
     * covariant override too, through the bridge method javac adds); one that declares none rarely has any, and is
     * turned away before Byte Buddy parses it ({@link ClassFilePrefilter}). Method names alone let through some
     * hundred classes of a Spring Boot application ({@code service} and {@code render} are common names); these
     * descriptors a few dozen. {@code DispatcherServlet} is let through by name.
     */
    static final byte[][] ADVISED_DESCRIPTORS = ClassFilePrefilter.utf8("()Ljava/sql/Connection;",
            "(Ljava/lang/String;Ljava/lang/String;)Ljava/sql/Connection;", "(Ljakarta/servlet/ServletRequest;",
            "(Ljavax/servlet/ServletRequest;");
    private static final Set<String> SUPER_TYPES = Set.of(
            DATA_SOURCE, SERVLET_TYPES[0], SERVLET_TYPES[1], SERVLET_TYPES[2], SERVLET_TYPES[3]);
    private static final Set<String> INHERITED = Set.of(INHERITED_GET_CONNECTION);
    private static final String[] IGNORED_PREFIXES = {"java/", "jdk/", "sun/", "com/sun/", "dev/querylens/agent/",
            "dev/querylens/core/", "dev/querylens/spring/", "net/bytebuddy/"};
    /** Relocated with Byte Buddy by the shade plugin, like Byte Buddy's own constant. */
    private static final String SAFE_PROPERTY = "net.bytebuddy.safe";

    private Instrumenter() {
    }

    static void install(Instrumentation inst, AdviceTypes advice) {
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
        Advice connectionAdvice = advice.to(GetConnectionAdvice.class);
        Advice servletAdvice = advice.to(ServletAdvice.class);

        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        new Weaver((loader, name, classFile) -> loader != null && loader != platform && !ignored(name)
                && (name.equals(DISPATCHER_SERVLET_FILE)
                        || ClassFilePrefilter.mentionsAnyStart(classFile, ADVISED_DESCRIPTORS)))
                .adviseBridgeMethods()
                // Spring MVC renders every view here (a name match, no hierarchy); the rule below still applies to
                // any type it matches
                .rule(named(DISPATCHER_SERVLET), advice.to(ViewRenderAdvice.class).on(render))
                // only a class that declares one of the methods is worth its hierarchy: a subclass that does not
                // override them runs its superclass's instrumented code
                .rule(not(isSynthetic()).and(namedOneOf(INHERITED_GET_CONNECTION).or(not(isInterface())
                        .and(declaresMethod(getConnection.or(doFilter).or(service)))
                        .and(hasSuperType(namedOneOf(SUPER_TYPES.toArray(new String[0])))))),
                        connectionAdvice.on(getConnection), servletAdvice.on(doFilter.or(service)))
                .install(inst, c -> c.getClassLoader() != null && c.getClassLoader() != platform && !c.isInterface()
                        && !ignored(c.getName().replace('.', '/'))
                        && (c.getName().equals(DISPATCHER_SERVLET) || INHERITED.contains(c.getName())
                        || Weaver.hasSuperTypeNamed(c, SUPER_TYPES)));
    }

    /**
     * The JDK's, the agent's own (shaded libraries included) and the application's own Querylens, Byte Buddy's, and
     * generated classes: by internal name.
     */
    static boolean ignored(String internalName) {
        for (String prefix : IGNORED_PREFIXES) {
            if (internalName.startsWith(prefix)) {
                return true;
            }
        }
        return internalName.contains("$$Lambda") || internalName.contains("$Proxy");
    }
}
