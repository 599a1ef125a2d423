package dev.hearth.fs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.hearth.core.Dialect;

/**
 * The table access of signed uploads ({@code fs_pending_uploads}, {@code fs_upload_parts}, migration V3): plain JDBC
 * on the connection it is given, so that a step can run inside the filesystem's commit transaction.
 *
 * <p>Every change of state is a compare-and-set ({@code UPDATE … WHERE state = ?}): of two requests racing over one
 * upload (a completion and an abort, a completion and the sweeper, a late part and a completion) exactly one wins,
 * and the loser sees the row as changed.
 */
final class PendingUploads {

    enum State { PENDING, COMPLETING, COMPLETED, FAILED, ABORTED;

        String db() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One upload as recorded at its start. Times are Unix milliseconds. */
    record Upload(String id, long userId, long ownerId, FsPath targetPath, String entryUuid, boolean overwrite,
                  boolean dedupeName, boolean createParents, String contentType, long declaredSize, boolean multipart,
                  long partSize, int partCount, boolean direct, Optional<String> stagedKey,
                  Optional<String> multipartUploadId, Optional<String> finalKey, Optional<String> guiMetadata,
                  State state, long createdAt, long expiresAt) {

        /** The exact length of part {@code n} (1-based): full parts, then the rest. */
        long partLength(int n) {
            return n < partCount ? partSize : declaredSize - (long) (partCount - 1) * partSize;
        }

        Upload withState(State s) {
            return new Upload(id, userId, ownerId, targetPath, entryUuid, overwrite, dedupeName, createParents,
                    contentType, declaredSize, multipart, partSize, partCount, direct, stagedKey, multipartUploadId,
                    finalKey, guiMetadata, s, createdAt, expiresAt);
        }
    }

    /** A part received by Hearth's own upload route. */
    record Part(int number, String blobKey, long size, String etag) {}

    private final Dialect dialect;

    PendingUploads(Dialect dialect) {
        this.dialect = dialect;
    }

    void insert(Connection c, Upload u) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO fs_pending_uploads (id, user_id, owner_id,"
                + " target_path, entry_uuid, overwrite, dedupe_name, create_parents, content_type, declared_size,"
                + " upload_mode, part_size, part_count, direct, staged_key, multipart_upload_id, final_key, gui_metadata,"
                + " state, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = 1;
            s.setString(i++, u.id());
            s.setLong(i++, u.userId());
            s.setLong(i++, u.ownerId());
            s.setString(i++, u.targetPath().value());
            s.setString(i++, u.entryUuid());
            s.setInt(i++, u.overwrite() ? 1 : 0);
            s.setInt(i++, u.dedupeName() ? 1 : 0);
            s.setInt(i++, u.createParents() ? 1 : 0);
            s.setString(i++, u.contentType());
            s.setLong(i++, u.declaredSize());
            s.setString(i++, u.multipart() ? "multipart" : "single");
            s.setLong(i++, u.partSize());
            s.setInt(i++, u.partCount());
            s.setInt(i++, u.direct() ? 1 : 0);
            setString(s, i++, u.stagedKey());
            setString(s, i++, u.multipartUploadId());
            setString(s, i++, u.finalKey());
            setString(s, i++, u.guiMetadata());
            s.setString(i++, u.state().db());
            s.setLong(i++, u.createdAt());
            s.setLong(i++, u.expiresAt());
            s.executeUpdate();
        }
    }

    Optional<Upload> find(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM fs_pending_uploads WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(map(r)) : Optional.empty();
            }
        }
    }

    /**
     * Moves an upload from {@code from} to {@code to}; false when it is not in {@code from} any more (someone else
     * changed it first).
     *
     * @param finalKey recorded when present (the key the completion assembles into)
     * @param expiresAt the new expiry when present (a completion gets time to assemble)
     */
    boolean transition(Connection c, String id, State from, State to, Optional<String> finalKey,
                       Optional<Long> expiresAt) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE fs_pending_uploads SET state = ?,"
                + " final_key = COALESCE(?, final_key), expires_at = COALESCE(?, expires_at) WHERE id = ? AND state = ?")) {
            s.setString(1, to.db());
            setString(s, 2, finalKey);
            if (expiresAt.isPresent()) {
                s.setLong(3, expiresAt.get());
            } else {
                s.setNull(3, Types.BIGINT);
            }
            s.setString(4, id);
            s.setString(5, from.db());
            return s.executeUpdate() == 1;
        }
    }

    /**
     * The bytes uploads in flight reserve in an owner's quota: the declared sizes of those not yet ended nor
     * expired.
     */
    long reserved(Connection c, long ownerId, long now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(declared_size), 0) FROM fs_pending_uploads"
                + " WHERE owner_id = ? AND state IN ('pending', 'completing') AND expires_at > ?")) {
            s.setLong(1, ownerId);
            s.setLong(2, now);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /**
     * Records a part the upload route stored, if the upload is still pending (locked against a concurrent
     * completion on PostgreSQL; SQLite runs one transaction at a time).
     *
     * @return the key of the part it replaces, if this part was uploaded before
     * @throws IllegalStateException when the upload is no longer pending
     */
    Optional<String> recordPart(Connection c, String uploadId, Part part) throws SQLException {
        String lock = dialect == Dialect.POSTGRES ? " FOR UPDATE" : "";
        try (PreparedStatement s = c.prepareStatement("SELECT state FROM fs_pending_uploads WHERE id = ?" + lock)) {
            s.setString(1, uploadId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next() || !State.PENDING.db().equals(r.getString(1))) {
                    throw new IllegalStateException("upload " + uploadId + " is not pending");
                }
            }
        }
        Optional<String> replaced = Optional.empty();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT blob_key FROM fs_upload_parts WHERE upload_id = ? AND part_number = ?")) {
            s.setString(1, uploadId);
            s.setInt(2, part.number());
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    replaced = Optional.of(r.getString(1));
                }
            }
        }
        String sql = replaced.isPresent()
                ? "UPDATE fs_upload_parts SET blob_key = ?, size = ?, etag = ? WHERE upload_id = ? AND part_number = ?"
                : "INSERT INTO fs_upload_parts (blob_key, size, etag, upload_id, part_number) VALUES (?, ?, ?, ?, ?)";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, part.blobKey());
            s.setLong(2, part.size());
            s.setString(3, part.etag());
            s.setString(4, uploadId);
            s.setInt(5, part.number());
            s.executeUpdate();
        }
        return replaced;
    }

    /** The parts received, by part number. */
    List<Part> parts(Connection c, String uploadId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT part_number, blob_key, size, etag FROM fs_upload_parts"
                + " WHERE upload_id = ? ORDER BY part_number")) {
            s.setString(1, uploadId);
            List<Part> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Part(r.getInt(1), r.getString(2), r.getLong(3), r.getString(4)));
                }
            }
            return out;
        }
    }

    void deleteParts(Connection c, String uploadId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM fs_upload_parts WHERE upload_id = ?")) {
            s.setString(1, uploadId);
            s.executeUpdate();
        }
    }

    /** Uploads not ended whose time is up, oldest first. */
    List<Upload> expired(Connection c, long now, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM fs_pending_uploads WHERE state IN ('pending',"
                + " 'completing') AND expires_at <= ? ORDER BY expires_at LIMIT ?")) {
            s.setLong(1, now);
            s.setInt(2, limit);
            List<Upload> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(map(r));
                }
            }
            return out;
        }
    }

    /**
     * Ended uploads whose record is kept only to answer late requests ({@code 409}); removed once they ended
     * before {@code before}.
     */
    List<Upload> ended(Connection c, long before, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM fs_pending_uploads WHERE state IN ('completed',"
                + " 'failed', 'aborted') AND expires_at <= ? ORDER BY expires_at LIMIT ?")) {
            s.setLong(1, before);
            s.setInt(2, limit);
            List<Upload> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(map(r));
                }
            }
            return out;
        }
    }

    void delete(Connection c, String id) throws SQLException {
        deleteParts(c, id);
        try (PreparedStatement s = c.prepareStatement("DELETE FROM fs_pending_uploads WHERE id = ?")) {
            s.setString(1, id);
            s.executeUpdate();
        }
    }

    private static Upload map(ResultSet r) throws SQLException {
        return new Upload(r.getString("id").trim(), r.getLong("user_id"), r.getLong("owner_id"),
                new FsPath(r.getString("target_path")), r.getString("entry_uuid").trim(), r.getInt("overwrite") != 0,
                r.getInt("dedupe_name") != 0, r.getInt("create_parents") != 0, r.getString("content_type"),
                r.getLong("declared_size"), "multipart".equals(r.getString("upload_mode")), r.getLong("part_size"),
                r.getInt("part_count"), r.getInt("direct") != 0, Optional.ofNullable(r.getString("staged_key")),
                Optional.ofNullable(r.getString("multipart_upload_id")), Optional.ofNullable(r.getString("final_key")),
                Optional.ofNullable(r.getString("gui_metadata")),
                State.valueOf(r.getString("state").toUpperCase(java.util.Locale.ROOT)), r.getLong("created_at"),
                r.getLong("expires_at"));
    }

    private static void setString(PreparedStatement s, int i, Optional<String> v) throws SQLException {
        if (v.isPresent()) {
            s.setString(i, v.get());
        } else {
            s.setNull(i, Types.VARCHAR);
        }
    }
}
