package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.kernel.ConfigException;

class DirectoriesTest {

    @TempDir
    Path root;

    private Path cwd() throws IOException {
        return Files.createDirectories(root.resolve("work"));
    }

    private Directories resolve(Map<String, String> env) throws IOException {
        return Directories.resolve(Optional.empty(), Optional.empty(), env, root, cwd());
    }

    @Test
    void withNothingSetTheDataDirectoryIsDataInTheWorkingDirectory() throws IOException {
        Directories dirs = resolve(Map.of());
        assertThat(dirs.dataDir()).isEqualTo(cwd().resolve("data"));
        assertThat(dirs.configFile()).isEmpty();
    }

    @Test
    void theOptionWinsOverEveryVariable() throws IOException {
        Directories dirs = Directories.resolve(Optional.of(Path.of("mine")), Optional.empty(),
                Map.of("HEARTH_DATA_PATH", "/h", "RUNTIME_PATH", "/r"), root, cwd());
        assertThat(dirs.dataDir()).isEqualTo(cwd().resolve("mine"));
    }

    @Test
    void hearthsVariableWinsOverPutersName() throws IOException {
        assertThat(resolve(Map.of("HEARTH_DATA_PATH", "/h", "RUNTIME_PATH", "/r")).dataDir()).isEqualTo(Path.of("/h"));
        assertThat(resolve(Map.of("RUNTIME_PATH", "/r")).dataDir()).isEqualTo(Path.of("/r"));
    }

    @Test
    void putersVarLayoutIsUsedWhenItExistsUnlessNoVarRuntimeIsSet() throws IOException {
        Path var = Files.createDirectories(root.resolve("var/puter"));
        assertThat(resolve(Map.of()).dataDir()).isEqualTo(var);
        assertThat(resolve(Map.of("NO_VAR_RUNTIME", "1")).dataDir()).isEqualTo(cwd().resolve("data"));
    }

    @Test
    void theConfigFileComesFromTheConfigDirectoryVariables() throws IOException {
        Path hearthDir = Files.createDirectories(root.resolve("hearth-config"));
        Path puterDir = Files.createDirectories(root.resolve("puter-config"));
        Files.writeString(hearthDir.resolve("config.json"), "{}");
        Files.writeString(puterDir.resolve("config.json"), "{}");

        assertThat(resolve(Map.of("HEARTH_CONFIG_PATH", hearthDir.toString(), "CONFIG_PATH", puterDir.toString()))
                .configFile()).contains(hearthDir.resolve("config.json"));
        assertThat(resolve(Map.of("CONFIG_PATH", puterDir.toString())).configFile())
                .contains(puterDir.resolve("config.json"));
    }

    @Test
    void etcPuterIsReadWhenItHoldsAConfigFile() throws IOException {
        Path etc = Files.createDirectories(root.resolve("etc/puter"));
        assertThat(resolve(Map.of()).configFile()).isEmpty();
        Files.writeString(etc.resolve("config.json"), "{}");
        assertThat(resolve(Map.of()).configFile()).contains(etc.resolve("config.json"));
    }

    @Test
    void aConfigDirectoryVariableThatIsNotADirectoryIsAnError() {
        assertThatThrownBy(() -> resolve(Map.of("CONFIG_PATH", root.resolve("missing").toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CONFIG_PATH");
    }

    @Test
    void theConfigOptionMayNameAFileOrItsDirectory() throws IOException {
        Path dir = Files.createDirectories(root.resolve("conf"));
        assertThat(Directories.resolve(Optional.empty(), Optional.of(dir), Map.of(), root, cwd()).configFile())
                .contains(dir.resolve("config.json"));
        assertThat(Directories.resolve(Optional.empty(), Optional.of(Path.of("x.json")), Map.of(), root, cwd()).configFile())
                .contains(cwd().resolve("x.json"));
    }
}
