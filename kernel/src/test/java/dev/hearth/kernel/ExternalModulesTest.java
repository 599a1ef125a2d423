package dev.hearth.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds a real module jar at test time, drops it in {@code <data-dir>/mods/} and boots it. */
class ExternalModulesTest {

    @TempDir
    Path tmp;

    private static final String MODULE_SOURCE = """
            package example.mod;

            import dev.hearth.kernel.Module;
            import dev.hearth.kernel.ModuleInstaller;
            import dev.hearth.kernel.Service;
            import java.nio.file.Files;

            public final class HelloModule implements Module {
                public String name() { return "hello"; }
                public void install(ModuleInstaller installer) {
                    installer.register("hello-service", ctx -> new Service() {
                        public void ready() throws Exception {
                            Files.writeString(ctx.dataDir().resolve("hello.txt"), "ready in " + ctx.module());
                        }
                    });
                }
            }
            """;

    private Path buildJar(boolean declareModule) throws Exception {
        Path src = tmp.resolve("src/example/mod/HelloModule.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, MODULE_SOURCE);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path"), src.toString());
        assertThat(rc).as("compiling the test module").isZero();

        Path jar = Files.createDirectories(tmp.resolve("data/mods")).resolve("hello.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString()));
                Files.copy(f, out);
            }
            if (declareModule) {
                out.putNextEntry(new JarEntry("META-INF/services/" + Module.class.getName()));
                out.write("example.mod.HelloModule\n".getBytes(StandardCharsets.UTF_8));
            }
        }
        return jar;
    }

    @Test
    void aModuleJarInModsIsInstalledAfterTheBuiltInOnesAndBoots() throws Exception {
        buildJar(true);
        Module builtIn = new Module() {
            @Override public String name() { return "built-in"; }
            @Override public void install(ModuleInstaller installer) {}
        };
        Kernel k = Kernel.builder(Config.empty(tmp.resolve("data"))).module(builtIn).build();
        k.boot();
        try {
            assertThat(k.modules()).extracting(Kernel.ModuleInfo::name).containsExactly("built-in", "hello");
            assertThat(k.modules().get(1).external()).isTrue();
            assertThat(k.modules().get(1).services()).containsExactly("hello-service");
            assertThat(Files.readString(tmp.resolve("data/hello.txt"))).isEqualTo("ready in hello");
        } finally {
            k.shutdown();
        }
    }

    @Test
    void externalModulesCanBeTurnedOff() throws Exception {
        buildJar(true);
        Kernel k = Kernel.builder(Config.empty(tmp.resolve("data"))).externalModules(false).build();
        k.boot();
        assertThat(k.modules()).isEmpty();
        k.shutdown();
    }

    @Test
    void aJarThatDeclaresNoModuleFailsTheBootNamingTheJar() throws Exception {
        Path jar = buildJar(false);
        Kernel k = Kernel.builder(Config.empty(tmp.resolve("data"))).build();
        assertThatThrownBy(k::boot).isInstanceOf(BootException.class)
                .hasMessageContaining(jar.toString()).hasMessageContaining("declares no module");
    }

}
