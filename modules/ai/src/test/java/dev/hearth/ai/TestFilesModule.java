package dev.hearth.ai;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import dev.hearth.core.Actor;
import dev.hearth.drivers.DriverFile;
import dev.hearth.drivers.spi.DriverFileResolver;
import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;
import dev.hearth.kernel.Service;

/** A stand-in for the filesystem's file resolver: two files every caller may read. */
final class TestFilesModule implements Module {

    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    static final Map<String, byte[]> FILES = Map.of("/alice/cat.png", PNG,
            "/alice/notes.txt", "remember the milk".getBytes(StandardCharsets.UTF_8));

    @Override
    public String name() {
        return "test-files";
    }

    @Override
    public void install(ModuleInstaller installer) {
        installer.register("test-files", context -> new Files());
    }

    static final class Files implements Service, DriverFileResolver {
        @Override
        public Optional<DriverFile> resolve(Actor actor, String reference) {
            byte[] bytes = FILES.get(reference);
            if (bytes == null) {
                return Optional.empty();
            }
            return Optional.of(new DriverFile() {
                @Override
                public Optional<String> contentType() {
                    return Optional.empty();
                }

                @Override
                public OptionalLong size() {
                    return OptionalLong.of(bytes.length);
                }

                @Override
                public InputStream open() {
                    return new ByteArrayInputStream(bytes);
                }
            });
        }
    }
}
