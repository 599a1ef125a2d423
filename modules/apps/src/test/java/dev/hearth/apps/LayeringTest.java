package dev.hearth.apps;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The arrows of ARCHITECTURE.md: apps sits above fs and drivers, imports no Jetty and no module above it. */
class LayeringTest {

    private static final JavaClasses APPS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.hearth.apps");

    @Test
    void noJettyAndNoModuleAbove() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..", "dev.hearth.server..",
                "dev.hearth.hosting..", "dev.hearth.kv..", "dev.hearth.ai..").check(APPS);
    }

    @Test
    void theLowerModulesDoNotKnowApps() {
        noClasses().that().resideInAnyPackage("dev.hearth.fs..", "dev.hearth.core..", "dev.hearth.drivers..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.hearth.apps..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.hearth.fs", "dev.hearth.core", "dev.hearth.drivers"));
    }
}
