package dev.querylens.core;

import dev.querylens.core.testing.GeneratedFiles;
import org.junit.jupiter.api.Test;

/** The table of core keys in docs/configuration.md is the one {@link QueryLensConfig#SETTINGS} gives. */
class ConfigurationReferenceTest {

    @Test
    void docsListEveryCoreKeyWithItsDefaultAndRange() throws Exception {
        GeneratedFiles.checkSection(GeneratedFiles.CONFIGURATION_DOC, "core keys",
                GeneratedFiles.settingsTable(QueryLensConfig.SETTINGS));
    }
}
