package dev.querylens.spring;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.querylens.core.testing.CoreApi;

/** The starter is a thin shell over core's public API. */
@AnalyzeClasses(packages = {"dev.querylens.spring", "dev.querylens.core"}, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule usesOnlyCorePublicApi = CoreApi.usedOnlyThroughPublicApi("dev.querylens.spring");
}
