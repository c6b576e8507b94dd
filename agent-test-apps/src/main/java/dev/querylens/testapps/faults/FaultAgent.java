package dev.querylens.testapps.faults;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import java.lang.instrument.Instrumentation;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.nameEndsWith;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A Java agent for the fault-injection tests, given before Querylens's own {@code -javaagent} (or beside the
 * starter): it makes Querylens's own code throw, inside the running application, where no application code runs
 * and so no application setting could make it fail. Two faults, each only for statements whose SQL text holds its
 * marker:
 * <ul>
 *   <li>{@value #FINGERPRINT}: the SQL fingerprinter's reading of the statement throws;</li>
 *   <li>{@value #LISTENER}: the statement listener throws as it starts recording the statement.</li>
 * </ul>
 * The faults are inlined into Querylens's classes by name, the starter's ({@code dev.querylens.core}) and the
 * agent's relocated copy ({@code dev.querylens.agent.shaded.core}) alike. Not shipped: built by agent-test-apps as
 * its {@code fault-agent} jar.
 */
public final class FaultAgent {

    public static final String FINGERPRINT = "querylens-fault:fingerprint";
    public static final String LISTENER = "querylens-fault:listener";

    private FaultAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        new AgentBuilder.Default()
                .ignore(not(nameStartsWith("dev.querylens.")))
                .type(nameEndsWith(".core.sql.SqlFingerprinter"))
                .transform((builder, type, loader, module, domain) -> builder.visit(
                        Advice.to(FingerprinterFault.class).on(named("read").and(takesArguments(String.class)))))
                .type(nameEndsWith(".core.StatementRecorder"))
                .transform((builder, type, loader, module, domain) -> builder.visit(
                        Advice.to(ListenerFault.class).on(named("record").and(takesArguments(3)))))
                .installOn(inst);
        System.out.println("FAULT agent installed: " + FINGERPRINT + ", " + LISTENER);
    }

    /** Inlined at the start of {@code SqlFingerprinter.read(String)}. */
    static final class FingerprinterFault {
        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(0) String sql) {
            if (sql.contains("querylens-fault:fingerprint")) {
                throw new IllegalStateException("injected: the fingerprinter fails");
            }
        }
    }

    /** Inlined at the start of {@code StatementRecorder.record(unit, execution, queries)}. */
    static final class ListenerFault {
        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(2) List<?> queries) throws Exception {
            for (Object query : queries) {
                // datasource-proxy's QueryInfo, under the name the agent's relocation gave it
                Object sql = query.getClass().getMethod("getQuery").invoke(query);
                if (sql instanceof String text && text.contains("querylens-fault:listener")) {
                    throw new IllegalStateException("injected: the statement listener fails");
                }
            }
        }
    }
}
