package dev.hearth.drivers;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The arrows of ARCHITECTURE.md: drivers sits above core and the filesystem (file arguments are read through it) and
 * below kv and the modules that contribute drivers; it imports no Jetty and no module above.
 */
class LayeringTest {

    private static final JavaClasses DRIVERS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.hearth.drivers");

    @Test
    void noJettyAndNoModuleAbove() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..", "dev.hearth.kv..",
                "dev.hearth.apps..", "dev.hearth.hosting..", "dev.hearth.ai..", "dev.hearth.server..").check(DRIVERS);
    }
}
