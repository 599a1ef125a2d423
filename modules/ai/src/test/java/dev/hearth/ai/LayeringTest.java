package dev.hearth.ai;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The arrows of ARCHITECTURE.md: ai sits above drivers, imports no Jetty, no vendor SDK, no module above it. */
class LayeringTest {

    private static final JavaClasses AI = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.hearth.ai");

    @Test
    void noJettyNoVendorSdkAndNoModuleAbove() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..", "com.openai..",
                "com.anthropic..", "dev.hearth.server..", "dev.hearth.fs..").check(AI);
    }

    @Test
    void mediaUsesOnlyTheSharedProviderHttpOfChatsPackage() {
        noClasses().that().resideInAPackage("dev.hearth.ai.media").should().dependOnClassesThat(
                JavaClass.Predicates.resideInAPackage("dev.hearth.ai").and(DescribedPredicate.not(
                        JavaClass.Predicates.belongToAnyOf(ProviderHttp.class)))).check(AI);
    }
}
