package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.Kernel;
import dev.hearth.kernel.Module;
import dev.hearth.kernel.Phase;

class KernelAssemblyTest {

    @TempDir
    Path data;

    @Test
    void aBlankKernelBootsAndShutsDown() {
        Kernel kernel = Kernel.builder(Config.empty(data)).externalModules(false).build();

        kernel.boot();
        assertThat(kernel.phase()).isEqualTo(Phase.READY);
        assertThat(kernel.modules()).isEmpty();
        assertThat(kernel.services().entries()).isEmpty();

        kernel.shutdown();
        assertThat(kernel.phase()).isEqualTo(Phase.STOPPED);
    }

    @Test
    void theDefaultModulesInstallLowerLayersFirst() {
        assertThat(DefaultModules.create()).extracting(Module::name).containsExactly("core", "fs", "storage-s3",
                "drivers", "kv", "apps", "hosting", "ai", "web");
        assertThat(DefaultModules.create()).as("fresh instances each time")
                .doesNotContainAnyElementsOf(DefaultModules.create());
    }
}
