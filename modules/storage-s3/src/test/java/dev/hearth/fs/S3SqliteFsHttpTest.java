package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.hearth.kernel.Config;
import dev.hearth.kernel.Module;
import dev.hearth.storage.s3.S3StorageModule;
import dev.hearth.storage.s3.S3TestServer;

/**
 * The filesystem's HTTP suite ({@link FsHttpContract}, from fs's test-jar) on SQLite with the content in S3
 * (s3rver): the storage-s3 module configured, so that it, not the local disk, holds every file. In the package of
 * the contract, whose members are package-private.
 */
class S3SqliteFsHttpTest extends FsHttpContract {

    @Override
    Config config(Path dataDir) {
        return S3TestServer.shared().configure(TestConfig.of(dataDir));
    }

    @Override
    List<Module> storageModules() {
        return List.of(new S3StorageModule());
    }

    @Test
    void theContentIsInS3AndNotOnTheLocalDisk() throws IOException {
        assertThat(kernel.services().get(Filesystem.class).blobStore().toString())
                .startsWith("S3 bucket '" + S3TestServer.BUCKET + "'");
        Account a = signup();
        assertThat(write(a, "/" + a.username() + "/Documents", "in-s3.txt", "stored in a bucket").status())
                .isEqualTo(200);
        assertThat(get(a, "/read?file=" + q("/" + a.username() + "/Documents/in-s3.txt")).text())
                .isEqualTo("stored in a bucket");
        assertThat(dataDir.resolve("storage")).doesNotExist();
    }
}
