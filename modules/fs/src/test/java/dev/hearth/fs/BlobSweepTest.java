package dev.hearth.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The boot clean-up of the local disk: unnamed objects from before the boot go, everything else stays. */
class BlobSweepTest {

    @TempDir
    Path dir;

    @Test
    void removesOnlyOldObjectsThatNoEntryNames() throws Exception {
        LocalDiskBlobStore store = new LocalDiskBlobStore(dir);
        store.write("named", new ByteArrayInputStream(new byte[] {1}), 1);
        store.write("orphan", new ByteArrayInputStream(new byte[] {2}), 1);
        store.write("fresh-orphan", new ByteArrayInputStream(new byte[] {3}), 1);
        Files.writeString(dir.resolve(".notes"), "an operator's file that is no key");
        Instant boot = Instant.now();
        for (String old : new String[] {"named", "orphan", ".notes"}) {
            Files.setLastModifiedTime(dir.resolve(old), FileTime.from(boot.minusSeconds(60)));
        }
        Files.setLastModifiedTime(dir.resolve("fresh-orphan"), FileTime.from(boot.plusSeconds(1)));

        assertThat(store.sweep(Set.of("named")::contains, boot)).isEqualTo(1);

        assertThat(dir.resolve("orphan")).doesNotExist();
        assertThat(dir.resolve("named")).exists();
        assertThat(dir.resolve("fresh-orphan")).as("stored since the boot: maybe a write in progress").exists();
        assertThat(dir.resolve(".notes")).exists();
    }

    @Test
    void temporaryFilesOfAnInterruptedWriteGoWhenTheStoreOpens() throws Exception {
        Files.writeString(dir.resolve(".tmp-" + java.util.UUID.randomUUID()), "partial");
        new LocalDiskBlobStore(dir);
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
