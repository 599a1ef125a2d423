package dev.hearth.fs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The arrows of ARCHITECTURE.md: the filesystem sits above core and web and imports neither Jetty nor JDBI. */
class LayeringTest {

    private static final JavaClasses FS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.hearth.fs");

    @Test
    void noJettyAndNoModuleAbove() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..", "software.amazon..",
                "dev.hearth.server..").check(FS);
    }

    @Test
    void theSpiDoesNotReachIntoInternals() {
        noClasses().that().resideInAPackage("dev.hearth.fs.spi").should().dependOnClassesThat()
                .haveSimpleNameStartingWith("FsEntries").orShould().dependOnClassesThat().haveSimpleName("Tx")
                .check(FS);
    }
}
