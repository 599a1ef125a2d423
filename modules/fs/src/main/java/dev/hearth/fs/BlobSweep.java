package dev.hearth.fs;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes, at boot, the content objects of the local disk that no entry names. They are left by a crash between
 * storing an upload and committing its row (the upload never happened), or between committing a replacement or
 * a delete and removing the old content. Only objects older than the boot are considered, so nothing that a
 * request of this process stored can be taken, and only objects named like the keys the filesystem makes (UUIDs), so
 * that other files in the directory are left alone. (One process per storage directory, as the removal of temporary
 * files already assumes; a store shared by several instances is S3's, which this does not touch.)
 */
final class BlobSweep {

    private static final Logger log = LoggerFactory.getLogger(BlobSweep.class);

    private BlobSweep() {}

    static int run(Tx tx, LocalDiskBlobStore store, Instant before) throws IOException {
        long started = System.nanoTime();
        Set<String> keys = tx.read(c -> {
            Set<String> out = new HashSet<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT blob_key FROM fsentries WHERE blob_key IS NOT NULL")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        int removed = store.sweep(key -> !NodeRef.UUID.matcher(key).matches() || keys.contains(key), before);
        if (removed > 0) {
            log.info("removed {} content objects that no entry names (left by an interrupted write) in {} ms", removed,
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
        }
        return removed;
    }
}
