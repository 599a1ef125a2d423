package dev.hearth.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.util.ArrayList;
import java.util.List;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the arrows of ARCHITECTURE.md honest over every Hearth module on the server's class path: the list below
 * is the order of the layers, and a module may only use modules before it.
 */
class ArchitectureTest {

    /** Hearth's modules, lowest first; a module depends only on modules earlier in this list. */
    static final List<String> LAYERS = List.of(
            "dev.hearth.kernel", "dev.hearth.web", "dev.hearth.core", "dev.hearth.fs", "dev.hearth.storage.s3",
            "dev.hearth.drivers", "dev.hearth.kv", "dev.hearth.apps", "dev.hearth.hosting", "dev.hearth.ai",
            "dev.hearth.internet", "dev.hearth.broadcast", "dev.hearth.convert", "dev.hearth.webdav",
            "dev.hearth.server");

    static JavaClasses hearth;

    @BeforeAll
    static void importClasses() {
        hearth = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.hearth");
    }

    @Test
    void everyBuiltInModuleIsOnTheClassPathSoThatTheRulesSeeIt() {
        for (String module : List.of("dev.hearth.kernel", "dev.hearth.web", "dev.hearth.core", "dev.hearth.server")) {
            org.assertj.core.api.Assertions.assertThat(hearth.containPackage(module)).as(module).isTrue();
        }
    }

    @Test
    void onlyTheWebModuleImportsJetty() {
        noClasses().that().resideOutsideOfPackage("dev.hearth.web..")
                .should().dependOnClassesThat().resideInAPackage("org.eclipse.jetty..")
                .because("HTTP is the web module's business; others contribute routes through its API")
                .check(hearth);
    }

    @Test
    void onlyTheS3ModuleImportsTheAwsSdk() {
        noClasses().that().resideOutsideOfPackage("dev.hearth.storage.s3..")
                .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk..")
                .allowEmptyShould(true)
                .check(hearth);
    }

    @Test
    void theKernelDependsOnNothingOfHearth() {
        noClasses().that().resideInAPackage("dev.hearth.kernel..")
                .should().dependOnClassesThat().resideInAnyPackage(packagesAbove(0))
                .check(hearth);
    }

    @Test
    void noModuleDependsOnAModuleAboveIt() {
        List<ArchRule> rules = new ArrayList<>();
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            rules.add(noClasses().that().resideInAPackage(LAYERS.get(i) + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(packagesAbove(i))
                    .allowEmptyShould(true)
                    .because(LAYERS.get(i) + " sits below them; ask for an interface lower down or listen to an event"));
        }
        rules.forEach(r -> r.check(hearth));
    }

    private static String[] packagesAbove(int layer) {
        return LAYERS.subList(layer + 1, LAYERS.size()).stream().map(p -> p + "..").toArray(String[]::new);
    }
}
