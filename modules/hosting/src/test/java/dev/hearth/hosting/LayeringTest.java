package dev.hearth.hosting;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The arrows of ARCHITECTURE.md: hosting sits above fs and drivers, imports no Jetty, and knows nothing of apps. */
class LayeringTest {

    private static final JavaClasses HOSTING = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.hearth.hosting");

    @Test
    void noJettyAndNoModuleBesideOrAbove() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..", "dev.hearth.apps..",
                "dev.hearth.kv..", "dev.hearth.ai..", "dev.hearth.server..").check(HOSTING);
    }
}
