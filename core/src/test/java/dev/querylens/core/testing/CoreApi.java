package dev.querylens.core.testing;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchRule;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Core's public API, the only part of core the agent and the starter may use: the public types of
 * {@code dev.querylens.core} and {@code dev.querylens.core.sql}, and the finding model of
 * {@code dev.querylens.core.detect} ({@code Finding}, {@code FindingKind}). The rest of {@code detect} (the rules)
 * and {@code explain} (the EXPLAIN sampler and plan readers) are the engine: public only so that {@code QueryLens}
 * can assemble them.
 */
public final class CoreApi {

    private static final Set<String> API_PACKAGES = Set.of("dev.querylens.core", "dev.querylens.core.sql");
    private static final Set<String> API_TYPES_ELSEWHERE = Set.of(
            "dev.querylens.core.detect.Finding", "dev.querylens.core.detect.FindingKind");

    /** A class of core's public API. */
    public static final DescribedPredicate<JavaClass> PUBLIC_API = DescribedPredicate.describe("core's public API",
            c -> c.getModifiers().contains(JavaModifier.PUBLIC)
                    && (API_PACKAGES.contains(c.getPackageName()) || API_TYPES_ELSEWHERE.contains(c.getName())));

    /** A core class outside the public API. */
    public static final DescribedPredicate<JavaClass> INTERNAL = DescribedPredicate.describe("core outside its public API",
            c -> c.getPackageName().startsWith("dev.querylens.core") && !c.getPackageName().startsWith("dev.querylens.core.testing")
                    && !PUBLIC_API.test(c));

    private CoreApi() {
    }

    /**
     * The rule for a module built on core: its classes in {@code modulePackage} use core only through the public
     * API. Import core's classes beside the module's: classes outside the import are known by name only.
     */
    public static ArchRule usedOnlyThroughPublicApi(String modulePackage) {
        return noClasses().that().resideInAPackage(modulePackage + "..").should().dependOnClassesThat(INTERNAL)
                .because("modules built on core use only its public API (see CONTRIBUTING.md, package layout)");
    }
}
