package dev.querylens.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * Notices the application's own Querylens (the Spring Boot starter, or core used directly): its unshaded
 * {@code dev.querylens.core.QueryLens} being loaded. The agent then steps aside, so no request is a unit of work
 * twice and no connection is offered to two engines.
 */
final class StarterWatcher implements ClassFileTransformer {

    /** Built at run time: shading rewrites string constants that name the packages it relocates. */
    static final String CORE_CLASS = String.join(".", "dev", "querylens", "core", "QueryLens");
    private static final String CORE_INTERNAL = CORE_CLASS.replace('.', '/');

    private final AgentDispatcher dispatcher;

    StarterWatcher(AgentDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    void install(Instrumentation inst) {
        inst.addTransformer(this, false);
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getName().equals(CORE_CLASS)) {
                found();
            }
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (classBeingRedefined == null && CORE_INTERNAL.equals(className)) {
            found();
        }
        return null;
    }

    private void found() {
        if (dispatcher.stepAside()) {
            AgentLog.line("the application has Querylens of its own (querylens-spring-boot-starter or querylens-core): "
                    + "the agent steps aside and counts nothing more, so nothing is counted twice; use one of the two");
        }
    }
}
