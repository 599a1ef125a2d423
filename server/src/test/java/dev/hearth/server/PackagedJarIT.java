package dev.hearth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

/** What {@code server/target/hearth.jar} must carry to run as {@code java -jar hearth.jar}. */
class PackagedJarIT {

    private final Path jar = Path.of(System.getProperty("hearth.jar", "target/hearth.jar"));

    @Test
    void theManifestStartsMainWithNativeAccessAndVersionedClasses() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes main = file.getManifest().getMainAttributes();
            assertThat(main.getValue("Main-Class")).isEqualTo(Main.class.getName());
            assertThat(main.getValue("Enable-Native-Access")).isEqualTo("ALL-UNNAMED");
            assertThat(main.getValue("Multi-Release")).isEqualTo("true");
        }
    }

    @Test
    void serviceFilesAreMergedNotOverwritten() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            // Both JDBC drivers declare themselves in the same file; a plain shade would keep only one.
            String drivers = new String(file.getInputStream(file.getEntry("META-INF/services/java.sql.Driver"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertThat(drivers).contains("org.sqlite.JDBC").contains("org.postgresql.Driver");
        }
    }

    @Test
    void carriesNoSignaturesOfTheOriginalJars() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.stream().map(JarEntry::getName))
                    .noneMatch(n -> n.startsWith("META-INF/") && n.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)"));
        }
    }
}
