package dev.hearth.storage.s3;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The arrows of ARCHITECTURE.md: storage-s3 sits on the filesystem's SPI, imports no Jetty, nothing of the web
 * module and nothing of the filesystem's internals; its one public class is the module.
 */
class LayeringTest {

    private static final JavaClasses S3 = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.hearth.storage.s3");

    @Test
    void onlyTheFilesystemSpiAndNoModuleAbove() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..", "dev.hearth.web..",
                "dev.hearth.server..").orShould().dependOnClassesThat().resideInAPackage("dev.hearth.fs")
                .check(S3);
    }

    @Test
    void theModuleIsTheOnlyPublicClass() {
        classes().that().arePublic().should().haveSimpleName("S3StorageModule").check(S3);
    }
}
