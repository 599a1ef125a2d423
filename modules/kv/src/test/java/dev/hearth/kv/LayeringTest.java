package dev.hearth.kv;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The arrows of ARCHITECTURE.md: kv sits above drivers, imports no Jetty and nothing of the web module. */
class LayeringTest {

    private static final JavaClasses KV = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.hearth.kv");

    @Test
    void noJettyNoWebAndNoModuleAbove() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..", "dev.hearth.web..",
                "dev.hearth.fs..", "dev.hearth.server..").check(KV);
    }
}
