package dev.hearth.server;

import dev.hearth.kernel.Version;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.kernel.Json;

/** The {@code ./hearth} script at the repository root, run on the jar this build packaged. */
class LauncherIT {

    @TempDir
    Path data;

    private record Run(int exitCode, String stdout, String stderr) {}

    private Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path launcher = Path.of(System.getProperty("hearth.launcher", "../hearth"));
        assertThat(launcher).isExecutable();
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        // Never rebuild from inside the build, and keep the jar's directory as the build left it.
        builder.environment().put("HEARTH_NO_BUILD", "1");
        builder.environment().put("HEARTH_AOT", "0");
        builder.environment().putAll(env);
        Process p = builder.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void findsAJdk25AndRunsTheJar() throws Exception {
        // A JAVA_HOME that is too old is passed over for an installed JDK 25.
        Run run = launch(Map.of("JAVA_HOME", "/nonexistent-jdk"), "version");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("Hearth " + Version.current()).contains("Java 25");
        assertThat(run.stderr()).doesNotContain("WARNING");
    }

    @Test
    void passesOptionsThrough() throws Exception {
        Run run = launch(Map.of(), "config", "--data-dir", data.toString(), "--port", "4242");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(Json.mapper().readTree(run.stdout()).get("http_port").intValue()).isEqualTo(4242);
    }
}
