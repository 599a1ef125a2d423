package dev.hearth.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hearth.core.CoreModule;
import dev.hearth.fs.Filesystem;
import dev.hearth.fs.FilesystemModule;
import dev.hearth.fs.spi.BlobStore;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.ConfigLoader;
import dev.hearth.kernel.Kernel;

/**
 * The module in a booted kernel (core, filesystem, storage-s3): inert without a bucket, the only store with one, and
 * a boot that fails naming the key when the bucket, the server or the settings are wrong.
 */
class S3StorageModuleTest {

    @TempDir
    Path dataDir;

    private Kernel kernel;

    @AfterEach
    void shutDown() {
        if (kernel != null) {
            kernel.shutdown();
        }
    }

    private Config config() {
        return ConfigLoader.load(dataDir, Optional.empty(), Map.of(), List.of());
    }

    private Filesystem boot(Config config) {
        kernel = Kernel.builder(config).externalModules(false).module(new CoreModule()).module(new FilesystemModule())
                .module(new S3StorageModule()).build();
        kernel.boot();
        return kernel.services().get(Filesystem.class);
    }

    @Test
    void withoutABucketTheModuleIsInertAndTheLocalDiskKeepsTheContent() {
        Filesystem fs = boot(config());
        assertThat(kernel.services().byName("s3")).isEmpty();
        assertThat(kernel.services().all(BlobStore.class)).isEmpty();
        assertThat(fs.blobStore().getClass().getSimpleName()).isEqualTo("LocalDiskBlobStore");
    }

    @Test
    void withABucketS3IsTheOneStore() throws IOException {
        Filesystem fs = boot(S3TestServer.shared().configure(config()));
        assertThat(kernel.services().all(BlobStore.class)).hasSize(1);
        assertThat(fs.blobStore()).isInstanceOf(S3BlobStore.class).isSameAs(kernel.services().get(BlobStore.class));
        assertThat(fs.blobStore().toString()).contains(S3TestServer.BUCKET).doesNotContain(S3TestServer.SECRET_KEY);
        assertThat(kernel.services().find(dev.hearth.fs.spi.DirectUploads.class)).containsSame(
                (dev.hearth.fs.spi.DirectUploads) fs.blobStore());
        fs.blobStore().write("k", new ByteArrayInputStream(new byte[] {1, 2, 3}), 3);
        assertThat(fs.blobStore().size("k")).hasValue(3);
        assertThat(Files.exists(dataDir.resolve("storage"))).isFalse();
    }

    @Test
    void aMissingBucketFailsTheBootNamingTheKey() {
        Config config = S3TestServer.shared().configure(config()).with("services.s3.bucket", "no-such-bucket");
        assertThatThrownBy(() -> boot(config)).hasMessageContaining("services.s3.bucket")
                .hasMessageContaining("no-such-bucket").hasMessageContaining("404");
    }

    @Test
    void unknownCredentialsFailTheBootNamingTheKeyButNotTheSecret() {
        Config config = S3TestServer.shared().configure(config()).with("services.s3.access_key_id", "NOBODY")
                .with("services.s3.secret_access_key", "hush-hush-secret");
        assertThatThrownBy(() -> boot(config)).hasMessageContaining("services.s3.access_key_id")
                .hasMessageContaining("403").message().doesNotContain("hush-hush-secret");
    }

    @Test
    void anUnreachableServerFailsTheBootNamingTheEndpoint() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Config config = S3TestServer.shared().configure(config())
                .with("services.s3.endpoint", "http://127.0.0.1:" + closedPort);
        assertThatThrownBy(() -> boot(config)).hasMessageContaining("services.s3.endpoint")
                .hasMessageContaining("127.0.0.1:" + closedPort);
    }

    @Test
    void badSettingsFailTheBootNamingTheKey() {
        Config s3 = S3TestServer.shared().configure(config());
        assertThatThrownBy(() -> boot(s3.with("services.s3.part_size_mb", 2)))
                .hasMessageContaining("services.s3.part_size_mb");
        assertThatThrownBy(() -> boot(s3.with("services.s3.secret_access_key", "")))
                .hasMessageContaining("services.s3.secret_access_key");
        assertThatThrownBy(() -> boot(s3.with("services.s3.endpoint", "ftp://example.org")))
                .hasMessageContaining("services.s3.endpoint");
    }

    @Test
    void thePrefixIsNormalised() {
        assertThat(new S3Settings("b", null, null, null, null, "/a/b", false, null).prefix()).isEqualTo("a/b/");
        assertThat(new S3Settings("b", null, null, null, null, "a/", false, null).prefix()).isEqualTo("a/");
        assertThat(new S3Settings("b", null, null, null, null, null, false, null).prefix()).isEmpty();
        assertThat(new S3Settings("b", null, null, null, null, null, false, null).partSize()).isEqualTo(8 << 20);
    }
}
