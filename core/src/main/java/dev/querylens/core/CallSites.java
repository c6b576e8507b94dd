package dev.querylens.core;

import dev.querylens.core.detect.CallSite;

import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Names the application code that ran a statement: the first stack frame whose class is the application's own.
 * Walking the stack is costly, so callers do it once per finding, never per statement; whether a class is the
 * application's is decided once per class.
 *
 * <p>Where a class was loaded from decides first: a class from a directory (the build's classes directory, an
 * exploded application) or from {@code BOOT-INF/classes} / {@code WEB-INF/classes} of an executable jar or a war is
 * the application's, whatever its package ({@code org.springframework.samples.petclinic} is application code); a
 * class from {@code BOOT-INF/lib} / {@code WEB-INF/lib} is a library's. Only where the code source does not tell (no
 * code source, or a plain jar on the class path, which may be a library or the application's own module) do package
 * prefixes decide: the JDK, JDBC drivers, pools, ORMs and query libraries, Spring, view engines, servlet containers
 * and other common libraries are not the application. Querylens itself, the packages of
 * {@code querylens.callsite.exclude-packages}, and generated classes (Spring CGLIB and Hibernate proxies, JDK
 * proxies) never are.
 */
class CallSites {

    /** Packages that are never the application, whatever the code source. */
    static final List<String> ALWAYS_EXCLUDED = List.of(
            "java.", "javax.", "jakarta.", "jdk.", "sun.", "com.sun.",
            pkg("dev", "querylens", "core"), "dev.querylens.agent.", "dev.querylens.spring.");

    /** Packages of libraries, the fallback for classes whose code source does not tell. */
    static final List<String> LIBRARY_PACKAGES = List.of(
            pkg("net", "ttddyy"), pkg("net", "bytebuddy"), pkg("io", "micrometer"), pkg("io", "prometheus"),
            "org.hibernate.", "org.springframework.", "org.aopalliance.", "org.aspectj.", "org.apache.ibatis.",
            "org.mybatis.", "org.jooq.", "org.jdbi.", "com.querydsl.", "org.eclipse.persistence.", "org.apache.openjpa.",
            "com.blazebit.", "io.ebean.", "org.sql2o.",
            "com.zaxxer.hikari.", "org.apache.tomcat.", "org.apache.commons.", "com.mchange.", "org.vibur.",
            "oracle.ucp.", "io.agroal.",
            "org.h2.", "org.postgresql.", "org.mariadb.", "com.mysql.", "oracle.jdbc.", "com.microsoft.sqlserver.",
            "org.hsqldb.", "org.apache.derby.", "org.sqlite.", "com.ibm.db2.",
            "org.thymeleaf.", "org.attoparser.", "ognl.", "freemarker.", "com.samskivert.mustache.", "org.apache.jasper.",
            "org.apache.taglibs.", "org.apache.velocity.", "groovy.text.",
            "org.apache.catalina.", "org.apache.coyote.", "org.eclipse.jetty.", "io.undertow.", "org.glassfish.",
            "org.jboss.", "io.netty.", "reactor.", "io.reactivex.", "io.quarkus.", "io.micronaut.", "io.vertx.",
            "io.opentelemetry.", "brave.", pkg("com", "fasterxml"), "com.google.", pkg("org", "slf4j"), "ch.qos.logback.",
            "org.apache.logging.", "com.github.benmanes.caffeine.", "org.ehcache.", "io.github.resilience4j.",
            "org.flywaydb.", "liquibase.", "org.apache.kafka.", "com.rabbitmq.",
            "org.junit.", "org.testng.", "org.apache.maven.surefire.", "org.gradle.", "org.mockito.", "org.assertj.",
            "kotlin.", "kotlinx.", "scala.", "groovy.", "org.codehaus.groovy.", "org.apache.groovy.");

    /** What a class's code source says about it. */
    enum Origin {
        /** A directory or an archive's own classes: the application. */
        APPLICATION,
        /** A library inside an executable jar or a war. */
        LIBRARY,
        /** No code source, or a plain jar: package prefixes decide. */
        UNKNOWN
    }

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private final String[] userExcludes;
    private final ClassValue<Boolean> application = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return decide(type);
        }
    };

    CallSites(List<String> extraExcludes) {
        this.userExcludes = extraExcludes.toArray(String[]::new);
    }

    /** {@code com.acme.OrderService.list(OrderService.java:42)}, or {@code null} when no frame is the application's. */
    String capture() {
        Optional<StackWalker.StackFrame> frame = WALKER.walk(s -> s.filter(f -> isApplication(f.getDeclaringClass())).findFirst());
        return frame.map(CallSites::format).orElse(null);
    }

    /**
     * Where the statement running now was called from. While a view renders ({@code viewHandler} is the web
     * framework's handler that produced it, such as Spring MVC's {@code HandlerMethod}), the handler method is named,
     * with the first application frame (an entity's getter, say) as a detail.
     */
    CallSite capture(Object viewHandler) {
        String frame = capture();
        if (viewHandler == null) {
            return CallSite.at(frame);
        }
        return new CallSite(Handlers.describe(viewHandler), true, frame);
    }

    /** Whether frames of {@code type} are the application's; decided once per class. */
    boolean isApplication(Class<?> type) {
        return application.get(type);
    }

    private boolean decide(Class<?> type) {
        String name = type.getName();
        if (startsWithAny(name, ALWAYS_EXCLUDED) || startsWithAny(name, userExcludes) || generated(name)
                || type.isHidden()) {
            return false;
        }
        ClassLoader loader = type.getClassLoader();
        if (loader == null || loader == ClassLoader.getPlatformClassLoader()) {
            return false;
        }
        return switch (origin(codeSourceOf(type))) {
            case APPLICATION -> true;
            case LIBRARY -> false;
            case UNKNOWN -> !startsWithAny(name, LIBRARY_PACKAGES);
        };
    }

    /** Generated subclasses and proxies of the application's own classes are not where the call was written. */
    private static boolean generated(String name) {
        return name.contains("$$") || name.contains("$HibernateProxy") || name.contains("$ByteBuddy$")
                || name.startsWith("$Proxy") || name.contains(".$Proxy");
    }

    private static URL codeSourceOf(Class<?> type) {
        try {
            ProtectionDomain domain = type.getProtectionDomain();
            CodeSource source = domain == null ? null : domain.getCodeSource();
            return source == null ? null : source.getLocation();
        } catch (RuntimeException e) {
            // a security manager that refuses: the package decides
            return null;
        }
    }

    /**
     * Reads a code source location: {@code file:/app/target/classes/}, {@code jar:nested:/app.jar/!BOOT-INF/classes/!/}
     * (Spring Boot 3.2+), {@code jar:file:/app.jar!/BOOT-INF/classes!/} (older Boot), {@code vfs:/app.war/WEB-INF/classes/}
     * (WildFly), {@code file:/tomcat/webapps/app/WEB-INF/lib/x.jar}.
     */
    static Origin origin(URL location) {
        if (location == null) {
            return Origin.UNKNOWN;
        }
        String url = location.toString();
        if (url.contains("BOOT-INF/classes") || url.contains("WEB-INF/classes")) {
            return Origin.APPLICATION;
        }
        if (url.contains("BOOT-INF/lib") || url.contains("WEB-INF/lib")) {
            return Origin.LIBRARY;
        }
        String path = location.getPath();
        if (path == null) {
            return Origin.UNKNOWN;
        }
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".jar") || lower.endsWith(".jar!/") || lower.endsWith(".zip") || lower.contains(".jar!/")) {
            return Origin.UNKNOWN;
        }
        return path.endsWith("/") && ("file".equals(location.getProtocol()) || "vfs".equals(location.getProtocol()))
                ? Origin.APPLICATION : Origin.UNKNOWN;
    }

    /**
     * A package prefix built at run time: the agent's shading rewrites string constants naming the packages it
     * relocates, and these must keep naming the application's own copies.
     */
    private static String pkg(String... parts) {
        return String.join(".", parts) + ".";
    }

    private static boolean startsWithAny(String name, List<String> prefixes) {
        for (int i = 0, n = prefixes.size(); i < n; i++) {
            if (name.startsWith(prefixes.get(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithAny(String name, String[] prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    static String format(StackWalker.StackFrame f) {
        String file = f.getFileName();
        int line = f.getLineNumber();
        return f.getClassName() + "." + f.getMethodName() + "("
                + (file == null ? "Unknown Source" : line > 0 ? file + ":" + line : file) + ")";
    }
}
