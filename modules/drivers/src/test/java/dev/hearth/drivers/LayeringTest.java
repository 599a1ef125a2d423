package dev.hearth.drivers;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The arrows of ARCHITECTURE.md: drivers sits above core and below kv, imports no Jetty, no module above. */
class LayeringTest {

    private static final JavaClasses DRIVERS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.hearth.drivers");

    @Test
    void noJettyAndNoModuleAbove() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..", "dev.hearth.kv..",
                "dev.hearth.fs..", "dev.hearth.server..").check(DRIVERS);
    }
}
