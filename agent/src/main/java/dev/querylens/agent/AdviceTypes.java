package dev.querylens.agent;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Advice classes described from their class files, as OpenTelemetry's agent does: {@code Advice.to(Class)} describes
 * a loaded class by reflection, which parses every annotation of every advice method into a proxy (a class generated
 * per annotation type) and resolves generic signatures, a good part of the agent's start. The class file is read
 * either way, since advice is inlined from it. One pool serves all advice, so the annotation types are described
 * once; it lives as long as the installation.
 */
final class AdviceTypes {

    private final ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(AdviceTypes.class.getClassLoader());
    private final TypePool pool = TypePool.Default.of(locator);

    Advice to(Class<?> advice) {
        return Advice.to(pool.describe(advice.getName()).resolve(), locator);
    }

    Advice to(Advice.WithCustomMapping mapping, Class<?> advice) {
        return mapping.to(pool.describe(advice.getName()).resolve(), locator);
    }
}
