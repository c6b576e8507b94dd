package dev.querylens.core;

import java.util.List;
import java.util.Optional;

/**
 * Names the application code that ran a statement: the first stack frame that is not the JDK, a JDBC driver, a
 * pool, an ORM, a framework or Querylens. Walking the stack is costly, so callers do it once per finding, never
 * per statement.
 */
final class CallSites {

    static final List<String> DEFAULT_EXCLUDES = List.of(
            "java.", "javax.", "jakarta.", "jdk.", "sun.", "com.sun.",
            "dev.querylens.core.", "dev.querylens.agent.", "dev.querylens.spring.", "net.ttddyy.dsproxy.", "net.bytebuddy.", "io.micrometer.",
            "org.hibernate.", "org.springframework.", "org.aopalliance.", "org.apache.ibatis.", "org.mybatis.",
            "org.jooq.", "org.jdbi.", "com.querydsl.", "org.eclipse.persistence.",
            "com.zaxxer.hikari.", "org.apache.tomcat.", "org.apache.commons.dbcp", "org.apache.commons.pool",
            "com.mchange.", "org.vibur.", "oracle.ucp.",
            "org.h2.", "org.postgresql.", "org.mariadb.", "com.mysql.", "oracle.jdbc.", "com.microsoft.sqlserver.",
            "org.hsqldb.", "org.apache.derby.", "org.sqlite.",
            "org.apache.catalina.", "org.apache.coyote.", "org.eclipse.jetty.", "io.undertow.", "org.glassfish.",
            "io.netty.", "reactor.", "org.junit.", "org.testng.", "org.apache.maven.surefire.", "kotlin.", "kotlinx.", "scala.", "groovy.", "org.codehaus.groovy.");

    private static final StackWalker WALKER = StackWalker.getInstance();

    private final String[] excludes;

    CallSites(List<String> extraExcludes) {
        this.excludes = java.util.stream.Stream.concat(DEFAULT_EXCLUDES.stream(), extraExcludes.stream())
                .toArray(String[]::new);
    }

    /** {@code com.acme.OrderService.list(OrderService.java:42)}, or {@code null} when every frame is excluded. */
    String capture() {
        Optional<StackWalker.StackFrame> frame = WALKER.walk(s -> s.filter(f -> isApplication(f.getClassName())).findFirst());
        return frame.map(CallSites::format).orElse(null);
    }

    boolean isApplication(String className) {
        for (String prefix : excludes) {
            if (className.startsWith(prefix)) {
                return false;
            }
        }
        // generated subclasses and proxies of the application's own classes are not where the call was written
        return !className.contains("$$") && !className.contains("$HibernateProxy") && !className.contains("$ByteBuddy$")
                && !className.startsWith("$Proxy") && !className.contains(".$Proxy");
    }

    private static String format(StackWalker.StackFrame f) {
        String file = f.getFileName();
        int line = f.getLineNumber();
        return f.getClassName() + "." + f.getMethodName() + "("
                + (file == null ? "Unknown Source" : line > 0 ? file + ":" + line : file) + ")";
    }
}
