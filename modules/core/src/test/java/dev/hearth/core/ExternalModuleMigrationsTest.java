package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.core.spi.Migrations;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Kernel;
import dev.hearth.kernel.Module;

/**
 * An external module's migrations live in its own jar, which only its own class loader can read: the database
 * must scan them with the contributor's class loader. The module is compiled and packed here, so that neither
 * its classes nor its SQL are on the test class path.
 */
class ExternalModuleMigrationsTest {

    private static final String SOURCE = """
            package extmod;

            import dev.hearth.core.spi.Migrations;
            import dev.hearth.kernel.Module;
            import dev.hearth.kernel.ModuleInstaller;
            import dev.hearth.kernel.Service;

            public final class ExtModule implements Module {
                public String name() { return "extmod"; }

                public void install(ModuleInstaller installer) { installer.register("extmod", context -> new Tables()); }

                public static final class Tables implements Service, Migrations {
                    public String migrationsName() { return "extmod"; }
                    public String migrationsLocation() { return "db/extmod"; }
                }
            }
            """;

    @TempDir
    Path dataDir;

    @TempDir
    Path build;

    @Test
    void migrationsAreReadWithTheContributorsClassLoader() throws Exception {
        packModule(dataDir.resolve("mods/extmod.jar"));
        assertThat(getClass().getClassLoader().getResource("db/extmod/common/V1__ext_thing.sql")).isNull();

        try (Kernel kernel = Kernel.builder(TestSecrets.config(dataDir)).module(new CoreModule()).build()) {
            kernel.boot();
            Database db = kernel.services().get(Database.class);

            assertThat(kernel.services().all(Migrations.class)).singleElement()
                    .satisfies(m -> assertThat(m.getClass().getClassLoader()).isNotSameAs(getClass().getClassLoader()));
            assertThat(DatabaseContract.strings(db, "SELECT version FROM flyway_history_extmod ORDER BY installed_rank"))
                    .containsExactly("0", "1");
            assertThat(DatabaseContract.strings(db, "SELECT label FROM ext_thing")).containsExactly("from the jar");
        }
    }

    private void packModule(Path jar) throws IOException, URISyntaxException {
        Path src = build.resolve("src/extmod/ExtModule.java");
        Path classes = build.resolve("classes");
        Files.createDirectories(src.getParent());
        Files.createDirectories(classes);
        Files.writeString(src, SOURCE);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classPath = String.join(java.io.File.pathSeparator, location(Migrations.class), location(Module.class));
        int status = javac.run(null, null, null, "-d", classes.toString(), "-classpath", classPath, src.toString());
        assertThat(status).as("javac exit status").isZero();

        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
            // Directory entries, as Maven writes them: class loaders find resource folders by them.
            for (String dir : List.of("META-INF/", "META-INF/services/", "db/", "db/extmod/", "db/extmod/common/", "extmod/")) {
                zip.putNextEntry(new JarEntry(dir));
                zip.closeEntry();
            }
            put(zip, "META-INF/services/dev.hearth.kernel.Module", "extmod.ExtModule\n".getBytes(StandardCharsets.UTF_8));
            put(zip, "db/extmod/common/V1__ext_thing.sql", """
                    CREATE TABLE ext_thing (label TEXT NOT NULL);
                    INSERT INTO ext_thing (label) VALUES ('from the jar');
                    """.getBytes(StandardCharsets.UTF_8));
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    put(zip, classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                }
            }
        }
    }

    private static void put(JarOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new JarEntry(name));
        zip.write(content);
        zip.closeEntry();
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
