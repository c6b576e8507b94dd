package dev.querylens.core;

import com.example.shop.OrderReport;
import org.junit.jupiter.api.Test;
import org.springframework.samples.querylens.VisitReport;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URL;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What is application code: decided by where a class was loaded from, package prefixes only as a fallback. */
class CallSitesTest {

    private final CallSites callSites = new CallSites(List.of());

    @Test
    void codeSourcesOfExecutableJarsWarsAndClassDirectories() throws Exception {
        assertEquals(CallSites.Origin.APPLICATION, CallSites.origin(url("file:/srv/app/target/classes/")));
        assertEquals(CallSites.Origin.APPLICATION, CallSites.origin(url("jar:nested:/srv/petclinic.jar/!BOOT-INF/classes/!/")));
        assertEquals(CallSites.Origin.APPLICATION, CallSites.origin(url("jar:file:/srv/petclinic.jar!/BOOT-INF/classes!/")));
        assertEquals(CallSites.Origin.APPLICATION, CallSites.origin(url("file:/opt/tomcat/webapps/shop/WEB-INF/classes/")));
        assertEquals(CallSites.Origin.APPLICATION, CallSites.origin(url("vfs:/content/shop.war/WEB-INF/classes/")));
        assertEquals(CallSites.Origin.LIBRARY, CallSites.origin(
                url("jar:nested:/srv/petclinic.jar/!BOOT-INF/lib/spring-webmvc-6.2.1.jar!/")));
        assertEquals(CallSites.Origin.LIBRARY, CallSites.origin(
                url("jar:file:/srv/petclinic.jar!/BOOT-INF/lib/thymeleaf-3.1.2.RELEASE.jar!/")));
        assertEquals(CallSites.Origin.LIBRARY, CallSites.origin(url("file:/opt/tomcat/webapps/shop/WEB-INF/lib/jooq-3.19.1.jar")));
        // a plain jar may be a library or the application's own module: the package decides
        assertEquals(CallSites.Origin.UNKNOWN, CallSites.origin(url("file:/root/.m2/repository/org/hibernate/hibernate-core.jar")));
        assertEquals(CallSites.Origin.UNKNOWN, CallSites.origin(url("jar:file:/srv/app/lib/shop-domain.jar!/")));
        assertEquals(CallSites.Origin.UNKNOWN, CallSites.origin(null));
    }

    private static URL url(String s) throws Exception {
        return s.startsWith("jar:nested:") || s.startsWith("vfs:")
                ? new URL(null, s, new java.net.URLStreamHandler() {
                    @Override
                    protected java.net.URLConnection openConnection(URL u) {
                        throw new UnsupportedOperationException();
                    }
                })
                : URI.create(s).toURL();
    }

    @Test
    void applicationClassesUnderAFrameworkPackageAreTheApplications() {
        assertTrue(callSites.isApplication(VisitReport.class), "loaded from the test classes directory");
        assertTrue(callSites.isApplication(OrderReport.class));
    }

    @Test
    void librariesTheJdkProxiesAndQuerylensAreNot() {
        assertFalse(callSites.isApplication(org.hibernate.Session.class));
        assertFalse(callSites.isApplication(com.zaxxer.hikari.HikariDataSource.class));
        assertFalse(callSites.isApplication(org.h2.Driver.class));
        assertFalse(callSites.isApplication(String.class));
        assertFalse(callSites.isApplication(java.sql.Connection.class));
        assertFalse(callSites.isApplication(QueryLens.class));
        assertFalse(callSites.isApplication(CallSitesTest.class), "Querylens's own packages, tests included");
        Object proxy = Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Runnable.class}, (p, m, a) -> null);
        assertFalse(callSites.isApplication(proxy.getClass()));
    }

    @Test
    void configuredPackagesAreNeverTheApplication() {
        CallSites excluding = new CallSites(List.of("org.springframework.samples.", "com.example.shop.OrderReport"));
        assertFalse(excluding.isApplication(VisitReport.class));
        assertFalse(excluding.isApplication(OrderReport.class));
    }

    @Test
    void theCallSiteIsTheFirstApplicationFrame() {
        String site = VisitReport.run(callSites::capture);
        assertTrue(site.startsWith("org.springframework.samples.querylens.VisitReport.run(VisitReport.java:"), site);
        assertNull(new CallSites(List.of("org.springframework.samples.")).capture(),
                "this test's own frames are Querylens's, the runner's are libraries");
    }
}
