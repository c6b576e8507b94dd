package dev.querylens.testapps.spring;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Uses the application's own Byte Buddy, datasource-proxy and Micrometer, whose versions differ from the ones the
 * agent carries: with the agent attached they must still be the application's and still work.
 */
@RestController
@ConditionalOnProperty(name = "app.conflicts", havingValue = "true")
public class ConflictController {

    private final DataSource dataSource;

    public ConflictController(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @GetMapping("/conflicts")
    public Map<String, Object> conflicts() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("byteBuddyJar", jarOf(ByteBuddy.class));
        Class<?> generated = new ByteBuddy()
                .subclass(Object.class)
                .method(ElementMatchers.named("toString")).intercept(FixedValue.value("made by the application's Byte Buddy"))
                .make()
                .load(getClass().getClassLoader())
                .getLoaded();
        out.put("byteBuddyResult", generated.getDeclaredConstructor().newInstance().toString());

        out.put("datasourceProxyJar", jarOf(ProxyDataSourceBuilder.class));
        AtomicInteger seen = new AtomicInteger();
        QueryExecutionListener counting = new QueryExecutionListener() {
            @Override
            public void beforeQuery(net.ttddyy.dsproxy.ExecutionInfo execInfo, java.util.List<net.ttddyy.dsproxy.QueryInfo> queryInfoList) {
            }

            @Override
            public void afterQuery(net.ttddyy.dsproxy.ExecutionInfo execInfo, java.util.List<net.ttddyy.dsproxy.QueryInfo> queryInfoList) {
                seen.addAndGet(queryInfoList.size());
            }
        };
        DataSource own = ProxyDataSourceBuilder.create(dataSource).name("app-own").listener(counting).build();
        int rows = 0;
        try (Connection c = own.getConnection(); Statement s = c.createStatement()) {
            for (int i = 0; i < 3; i++) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM owner")) {
                    rs.next();
                    rows = rs.getInt(1);
                }
            }
        }
        out.put("datasourceProxyQueries", seen.get());
        out.put("owners", rows);
        out.put("micrometerJar", jarOf(io.micrometer.core.instrument.MeterRegistry.class));
        return out;
    }

    private static String jarOf(Class<?> type) {
        var source = type.getProtectionDomain().getCodeSource();
        String location = source == null ? "unknown" : source.getLocation().getPath();
        return location.substring(location.lastIndexOf('/') + 1);
    }
}
