package dev.hearth.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path tmp;

    private Config load(Optional<Path> file, Map<String, String> env, String... overrides) {
        return ConfigLoader.load(tmp.resolve("data"), file, env, List.of(overrides));
    }

    @Test
    void builtInDefaultsApplyWithNothingConfigured() {
        Config c = load(Optional.empty(), Map.of());
        assertThat(c.string("http_port")).contains("auto");
        assertThat(c.string("config_name")).contains("hearth defaults");
        assertThat(c.flag("experimental_no_subdomain")).isTrue();
        assertThat(c.dataDir()).isEqualTo(tmp.resolve("data").toAbsolutePath());
    }

    @Test
    void eachLayerOverridesTheOneBelowKeyByKey() throws Exception {
        Path file = tmp.resolve("config.json");
        Files.writeString(file, """
                {"config_name": "mine", "domain": "example.org", "protocol": "https",
                 "services": {"database": {"engine": "postgres", "path": "x.db"}}}""");
        Config c = load(Optional.of(file),
                Map.of("HEARTH_PROTOCOL", "http", "HEARTH_SERVICES__DATABASE__ENGINE", "sqlite", "PORT", "5000",
                        "HEARTH_SHUTDOWN__DRAIN_SECONDS", "3", "UNRELATED", "x"),
                "protocol=ftp", "services.database.pool_size=4");
        assertThat(c.string("config_name")).contains("mine");                 // file over defaults
        assertThat(c.string("domain")).contains("example.org");
        assertThat(c.string("services.database.engine")).contains("sqlite"); // env over file
        assertThat(c.string("services.database.path")).contains("x.db");     // merged, not replaced
        assertThat(c.string("protocol")).contains("ftp");                    // command line over env
        assertThat(c.node("http_port").orElseThrow().intValue()).isEqualTo(5000); // PORT, as upstream
        assertThat(c.node("shutdown.drain_seconds").orElseThrow().intValue()).isEqualTo(3);
        assertThat(c.node("services.database.pool_size").orElseThrow().isNumber()).isTrue();
        assertThat(c.node("unrelated")).isEmpty();
        assertThat(c.string("jwt_secret")).isPresent();                       // secrets kept under the file
    }

    @Test
    void configFilesMayUseJson5AndRequireOtherFiles() throws Exception {
        Files.writeString(tmp.resolve("base.json"), "{ domain: 'base.example', protocol: 'http', }");
        Files.writeString(tmp.resolve("extra.json"), "{\"server_id\": \"extra\"}");
        Path file = tmp.resolve("local.json");
        Files.writeString(file, """
                // a comment, as people write
                {
                  $requires: ['base.json'],
                  $imports: ['extra.json'],
                  config_name: 'local',
                  protocol: 'https', /* trailing comma next */
                }""");
        Config c = load(Optional.of(file), Map.of());
        assertThat(c.string("domain")).contains("base.example");
        assertThat(c.string("server_id")).contains("extra");
        assertThat(c.string("protocol")).contains("https");
        assertThat(c.node("$requires")).isEmpty();
    }

    @Test
    void secretsAreGeneratedOnceOwnerOnlyAndKeptAcrossRestarts() throws Exception {
        Config first = load(Optional.empty(), Map.of());
        Path secrets = tmp.resolve("data/secrets.json");
        assertThat(Files.getPosixFilePermissions(secrets)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(tmp.resolve("data"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        String jwt = first.string("jwt_secret").orElseThrow();
        assertThat(jwt).hasSize(64).matches("[0-9a-f]+");                     // 256 bits
        assertThat(first.string("url_signature_secret").orElseThrow()).hasSize(64).isNotEqualTo(jwt);
        assertThat(first.string("private_uid_namespace").orElseThrow()).matches("[0-9a-f-]{36}");
        assertThat(first.string("services.auth.uuid_fpe_key").orElseThrow()).hasSize(32);
        assertThat(first.string("cookie_name").orElseThrow()).startsWith("hearth_");

        Config second = load(Optional.empty(), Map.of());
        for (String key : Secrets.PATHS) {
            assertThat(second.string(key)).as(key).isEqualTo(first.string(key));
        }
    }

    @Test
    void aSecretMissingFromTheFileIsAddedWithoutReplacingTheOthers() throws Exception {
        Files.createDirectories(tmp.resolve("data"));
        String kept = "k".repeat(40);
        Files.writeString(tmp.resolve("data/secrets.json"), "{\"jwt_secret\": \"" + kept + "\"}");
        Config c = load(Optional.empty(), Map.of());
        assertThat(c.string("jwt_secret")).contains(kept);
        assertThat(c.string("url_signature_secret")).isPresent();
        assertThat(Files.readString(tmp.resolve("data/secrets.json"))).contains(kept).contains("url_signature_secret");
    }

    @Test
    void theDataDirectorysConfigJsonIsReadWhenNoFileIsNamed() throws Exception {
        Files.createDirectories(tmp.resolve("data"));
        Files.writeString(tmp.resolve("data/config.json"), "{\"domain\": \"from-data-dir\"}");
        assertThat(load(Optional.empty(), Map.of()).string("domain")).contains("from-data-dir");
    }

    @Test
    void badInputIsReportedClearly() throws Exception {
        assertThatThrownBy(() -> load(Optional.of(tmp.resolve("nope.json")), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nope.json does not exist");

        Path broken = tmp.resolve("broken.json");
        Files.writeString(broken, "{\"domain\": }");
        assertThatThrownBy(() -> load(Optional.of(broken), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is not valid JSON").hasMessageContaining("line 1");

        assertThatThrownBy(() -> load(Optional.empty(), Map.of(), "jwt_secret=short"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config key `jwt_secret`").hasMessageContaining("at least 32 bytes")
                .hasMessageNotContaining("short");

        assertThatThrownBy(() -> load(Optional.empty(), Map.of(), "config_name="))
                .isInstanceOf(ConfigException.class).hasMessageContaining("config key `config_name`");

        assertThatThrownBy(() -> load(Optional.empty(), Map.of(), "no-equals-sign"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key.path=value");
    }

    record Pool(int size, boolean enabled) {}

    @Test
    void bindingReportsAWrongTypeWithTheFullKey() {
        Config c = load(Optional.empty(), Map.of(), "services.pool.size=\"many\"");
        assertThatThrownBy(() -> c.bind("services.pool", Pool.class))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config key `services.pool.size` has the value \"many\"")
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("services.pool.size"));
        assertThat(c.bind("services.absent", Pool.class)).isEqualTo(new Pool(0, false));
        assertThat(load(Optional.empty(), Map.of(), "services.pool.size=3").bind("services.pool", Pool.class).size()).isEqualTo(3);
    }

    @Test
    void theMaskedTreeHidesEverySecret() {
        Config c = load(Optional.empty(), Map.of(), "services.s3.secret_access_key=wJalrXUtnFEMI-example",
                "services.s3.access_key_id=AKIDEXAMPLE", "services.openai.apiKey=sk-operator-key",
                "openai.secret_key=sk-older-key", "services.aws-polly.aws.access_key=AKIAEXAMPLE");
        String shown = c.masked().toString();
        assertThat(shown).doesNotContain("wJalrXUtnFEMI-example").contains("AKIDEXAMPLE")
                .doesNotContain("sk-operator-key").doesNotContain("sk-older-key").doesNotContain("AKIAEXAMPLE");
        assertThat(shown).doesNotContain(c.string("jwt_secret").orElseThrow())
                .doesNotContain(c.string("services.auth.uuid_fpe_key").orElseThrow())
                .contains("********").contains("\"domain\"");
        String keys = c.with("services.claude.apiKey", "sk-ant-secret").with("openai.secret_key", "sk-secret")
                .masked().toString();
        assertThat(keys).doesNotContain("sk-ant-secret").doesNotContain("sk-secret");
    }
}
