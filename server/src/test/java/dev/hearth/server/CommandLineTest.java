package dev.hearth.server;

import dev.hearth.kernel.Version;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.hearth.kernel.Json;
import tools.jackson.databind.JsonNode;

class CommandLineTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        Launch launch = new Launch(env, dir, new PrintWriter(out, true), new PrintWriter(err, true));
        return HearthCommand.commandLine(launch).execute(args);
    }

    @Test
    void versionNamesHearthItsCompatibilityAndTheJava() {
        assertThat(run(Map.of(), "version")).isZero();
        assertThat(out.toString())
                .contains("Hearth " + Version.current())
                .contains("Puter " + Version.PUTER_COMPAT)
                .contains("Java " + Runtime.version().feature());
        assertThat(Version.current()).isNotBlank().doesNotContain("${");
    }

    @Test
    void configPrintsTheEffectiveConfigurationWithSecretsMasked() throws IOException {
        Path data = dir.resolve("d");
        int code = run(Map.of("HEARTH_ENV", "dev"), "config", "--data-dir", data.toString(),
                "--set", "services.thing.size=3", "--port", "0", "--host", "0.0.0.0");

        assertThat(code).as(err.toString()).isZero();
        JsonNode printed = Json.mapper().readTree(out.toString());
        assertThat(printed.get("http_port").intValue()).isZero();
        assertThat(printed.get("host").asString()).isEqualTo("0.0.0.0");
        assertThat(printed.at("/services/thing/size").intValue()).isEqualTo(3);
        assertThat(printed.get("env").asString()).as("HEARTH_* environment").isEqualTo("dev");
        assertThat(printed.get("jwt_secret").asString()).isEqualTo("********");
        // The real secret was generated into the data directory and must not appear in the output.
        String secrets = Files.readString(data.resolve("secrets.json"));
        String jwt = Json.mapper().readTree(secrets).get("jwt_secret").asString();
        assertThat(out.toString()).doesNotContain(jwt);
    }

    @Test
    void theDataDirectoryAndConfigFileFollowTheEnvironment() throws IOException {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("config.json"), "{ config_name: 'from CONFIG_PATH', domain: 'hearth.test' }");
        Path data = dir.resolve("runtime");

        int code = run(Map.of("CONFIG_PATH", conf.toString(), "RUNTIME_PATH", data.toString()), "config");

        assertThat(code).as(err.toString()).isZero();
        JsonNode printed = Json.mapper().readTree(out.toString());
        assertThat(printed.get("config_name").asString()).isEqualTo("from CONFIG_PATH");
        assertThat(printed.get("domain").asString()).isEqualTo("hearth.test");
        assertThat(data.resolve("secrets.json")).isRegularFile();
    }

    @Test
    void migrateAppliesTheMigrationsOnceAndOpensNoPort() throws IOException {
        String data = dir.resolve("d").toString();
        // The port is taken: were migrate to open the HTTP listener, it would fail.
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(taken.getLocalPort());

            assertThat(run(Map.of(), "migrate", "--data-dir", data, "--port", port)).as(err.toString()).isZero();
            assertThat(out.toString()).contains("Applied migrations").contains("migrated 'core'");
            assertThat(dir.resolve("d/hearth.sqlite")).isRegularFile();

            out.getBuffer().setLength(0);
            assertThat(run(Map.of(), "migrate", "--data-dir", data, "--port", port)).as(err.toString()).isZero();
            assertThat(out.toString()).contains("up to date").doesNotContain("Applied");
        }
    }

    @Test
    void migrateReportsAppliedMigrationsEvenWhenInfoIsNotLogged() {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        try {
            int code = run(Map.of(), "migrate", "--data-dir", dir.resolve("d").toString(), "--set", "logger.level=WARN");

            assertThat(code).as(err.toString()).isZero();
            assertThat(root.getLevel()).isEqualTo(Level.WARN);
            assertThat(out.toString()).contains("Applied migrations").contains("migrated 'core'");
            assertThat(((Logger) LoggerFactory.getLogger("dev.hearth.core")).isAdditive()).as("restored").isTrue();
        } finally {
            root.setLevel(before);
        }
    }

    @Test
    void aBadOverrideIsReportedInOneLineAndFails() {
        int code = run(Map.of(), "config", "--data-dir", dir.resolve("d").toString(), "--set", "no-equals-sign");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("hearth: ").contains("no-equals-sign").doesNotContain("\tat ");
    }

    @Test
    void aBadLogLevelNamesTheKey() {
        int code = run(Map.of(), "migrate", "--data-dir", dir.resolve("d").toString(), "--set", "logger.level=LOUD");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("logger.level").contains("LOUD");
    }

    @Test
    void anUnknownOptionShowsTheUsage() {
        assertThat(run(Map.of(), "--no-such-option")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option").contains("Usage: hearth");
    }
}
