package dev.querylens.core;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.querylens.core.detect.Rule;
import dev.querylens.core.detect.Rules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package rules of core. */
@AnalyzeClasses(packages = "dev.querylens.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreIsPlainJava = noClasses().should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "net.bytebuddy..", "javax.servlet..", "jakarta.servlet..",
                    "dev.querylens.agent..", "dev.querylens.spring..")
            .because("core is the engine both the agent and the starter carry: plain Java, no framework");

    /** {@code (**)} makes {@code dev.querylens.core} itself one slice, and each package below it another. */
    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.querylens.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule rulesOnlyThroughTheirInterface = classes().that().implement(Rule.class)
            .should().notBePublic()
            .andShould().onlyHaveDependentClassesThat().belongToAnyOf(Rules.class)
            .because("a rule is registered in Rules and otherwise reached only through the Rule interface");
}
