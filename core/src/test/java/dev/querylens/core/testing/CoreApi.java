package dev.querylens.core.testing;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchRule;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Core's public API, the only part of core the agent and the starter may use: every public type of core except
 * the engine packages, {@code dev.querylens.core.detect} (the rules; its finding model, {@code Finding} and
 * {@code FindingKind}, is API) and {@code dev.querylens.core.explain} (the EXPLAIN sampler and plan readers). The
 * engine's types are public only so that {@code QueryLens} can assemble them.
 */
public final class CoreApi {

    private static final Set<String> ENGINE_PACKAGES = Set.of("dev.querylens.core.detect", "dev.querylens.core.explain");
    private static final Set<String> API_TYPES_IN_ENGINE = Set.of(
            "dev.querylens.core.detect.Finding", "dev.querylens.core.detect.FindingKind");

    /** A core class outside the public API. */
    public static final DescribedPredicate<JavaClass> INTERNAL = DescribedPredicate.describe("are core outside its public API",
            c -> isCore(c.getPackageName()) && (!c.getModifiers().contains(JavaModifier.PUBLIC)
                    || (ENGINE_PACKAGES.contains(c.getPackageName()) && !API_TYPES_IN_ENGINE.contains(c.getName()))));

    private CoreApi() {
    }

    private static boolean isCore(String packageName) {
        return (packageName.equals("dev.querylens.core") || packageName.startsWith("dev.querylens.core."))
                && !packageName.startsWith("dev.querylens.core.testing");
    }

    /**
     * The rule for a module built on core: its classes in {@code modulePackage} use core only through the public
     * API. Import core's classes beside the module's: classes outside the import are known by name only.
     */
    public static ArchRule usedOnlyThroughPublicApi(String modulePackage) {
        return noClasses().that().resideInAPackage(modulePackage + "..").should().dependOnClassesThat(INTERNAL)
                .because("modules built on core use only its public API (see CONTRIBUTING.md, package layout of core)");
    }
}
