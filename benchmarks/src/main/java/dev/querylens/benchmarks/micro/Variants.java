package dev.querylens.benchmarks.micro;

import com.p6spy.engine.spy.P6DataSource;
import dev.querylens.core.QueryLens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;

import javax.sql.DataSource;

/**
 * The ways an application's {@code DataSource} is watched, each wrapped around the same HikariCP pool (the
 * outermost layer, as an agent or a starter would put it).
 */
final class Variants {
    static final String RAW = "raw";
    static final String DATASOURCE_PROXY = "datasource-proxy";
    static final String QUERYLENS = "querylens";
    static final String P6SPY = "p6spy";

    private Variants() {
    }

    /** What a variant needs to run, and the DataSource the benchmark uses. */
    record Wrapped(DataSource dataSource, QueryLens lens) {
    }

    static Wrapped wrap(String variant, DataSource pool) {
        return switch (variant) {
            case RAW -> new Wrapped(pool, null);
            // datasource-proxy 1.11 with no listener at all: the cost of its proxies alone.
            case DATASOURCE_PROXY -> new Wrapped(ProxyDataSourceBuilder.create(pool).name("bench").build(), null);
            // Querylens with its defaults; meters go to a registry of their own, published when a unit of work ends.
            case QUERYLENS -> {
                QueryLens lens = QueryLens.builder().meterRegistry(new SimpleMeterRegistry()).build();
                yield new Wrapped(lens.wrap(pool, "bench"), lens);
            }
            case P6SPY -> new Wrapped(p6spy(pool), null);
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    }

    /**
     * p6spy 3.9.1 configured in code, with logging off as far as p6spy allows while its logging module still
     * sees every statement (what a user who installs p6spy runs): options are read once, from system properties
     * with the {@code p6spy.config.} prefix, when the first p6spy class initialises, so they are set here first.
     * <ul>
     *   <li>{@code modulelist} = P6SpyFactory and P6LogFactory only (the default list also loads the outage
     *       module);</li>
     *   <li>{@code excludecategories} = every category (error, warn, info, debug, batch, statement, resultset,
     *       commit, rollback, result, outage): {@code P6LogQuery.logElapsed} then stops at its category check
     *       and never builds the SQL-with-values string or calls the appender;</li>
     *   <li>{@code appender} = Slf4JLogger, which goes to slf4j-nop, so nothing is written even if a message got
     *       through (the default appender writes {@code spy.log});</li>
     *   <li>{@code jmx=false}, {@code reloadproperties=false}, {@code stacktrace=false}, {@code filter=false}.</li>
     * </ul>
     */
    static DataSource p6spy(DataSource pool) {
        String[][] options = {
                {"modulelist", "com.p6spy.engine.spy.P6SpyFactory,com.p6spy.engine.logging.P6LogFactory"},
                {"excludecategories",
                        "error,warn,info,debug,batch,statement,resultset,commit,rollback,result,outage"},
                {"appender", "com.p6spy.engine.spy.appender.Slf4JLogger"},
                {"jmx", "false"},
                {"reloadproperties", "false"},
                {"stacktrace", "false"},
                {"filter", "false"},
                {"autoflush", "false"},
        };
        for (String[] option : options) {
            System.setProperty("p6spy.config." + option[0], option[1]);
        }
        return new P6DataSource(pool);
    }
}
