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
 * The {@code fsentries} table in plain JDBC: the filesystem's hot path. Every method runs on the connection it
 * is given (the caller owns the transaction). Subtrees are selected as path ranges: with byte-wise collation
 * (SQLite's BINARY, PostgreSQL's "C") the paths below {@code /a/b} are exactly those in
 * {@code ['/a/b/', '/a/b0')}, since {@code '0'} follows {@code '/'}; that is an exact prefix match which uses the
 * path index, unlike an (unescaped) LIKE.
 */
final class FsEntries {

    static final String COLUMNS = "id, uuid, parent_uid, user_id, name, path, is_dir, immutable, is_shortcut,"
            + " shortcut_to, is_symlink, symlink_path, is_public, public_token, file_request_token, associated_app_id,"
            + " metadata, layout, sort_by, sort_order, thumbnail, size, created, modified, accessed, blob_key";

    private static final String BY_UUID = "SELECT " + COLUMNS + " FROM fsentries WHERE uuid = ?";
    private static final String BY_PATH = "SELECT " + COLUMNS + " FROM fsentries WHERE path = ?";
    private static final String TOP_LEVEL = "SELECT " + COLUMNS + " FROM fsentries WHERE parent_uid IS NULL AND name = ?";
    private static final String CHILD = "SELECT " + COLUMNS + " FROM fsentries WHERE parent_uid = ? AND name = ?";

    private final Dialect dialect;
    /** The single-entry lookups above, which nearly every request makes. */
    private final KeptStatements kept = new KeptStatements();
    /** SQLite's answers to those lookups while the database is unchanged; none on PostgreSQL. */
    private final Optional<SqliteEntryCache> unchanged;

    FsEntries(Dialect dialect) {
        this.dialect = dialect;
        this.unchanged = dialect == Dialect.SQLITE ? Optional.of(new SqliteEntryCache(kept)) : Optional.empty();
    }

    Optional<Entry> byUuid(Connection c, String uuid) throws SQLException {
        return one(c, BY_UUID, uuid);
    }

    Optional<Entry> byPath(Connection c, FsPath path) throws SQLException {
        return one(c, BY_PATH, path.value());
    }

    Optional<Entry> child(Connection c, Entry parent, String name) throws SQLException {
        if (parent.isRoot()) {
            return one(c, TOP_LEVEL, name);
        }
        return one(c, CHILD, parent.uuid(), name);
    }

    /** Children in creation order, after the internal id {@code afterId}. */
    List<Entry> children(Connection c, String parentUid, long afterId, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                + " FROM fsentries WHERE parent_uid = ? AND id > ? ORDER BY id LIMIT ?")) {
            s.setString(1, parentUid);
            s.setLong(2, afterId);
            s.setInt(3, limit);
            return list(s);
        }
    }

    /** Up to {@code limit} entries of a user whose name contains {@code text}, ASCII case-insensitively, literally. */
    List<Entry> search(Connection c, long userId, String text, int limit) throws SQLException {
        String pattern = "%" + text.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                .replace("_", "\\_") + "%";
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                + " FROM fsentries WHERE user_id = ? AND LOWER(name) LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?")) {
            s.setLong(1, userId);
            s.setString(2, pattern);
            s.setInt(3, limit);
            return list(s);
        }
    }

    boolean hasChildren(Connection c, String parentUid) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM fsentries WHERE parent_uid = ? LIMIT 1")) {
            s.setString(1, parentUid);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** Every entry strictly below {@code path}, parents before their children. */
    List<Entry> descendants(Connection c, FsPath path) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                + " FROM fsentries WHERE path >= ? AND path < ? ORDER BY path")) {
            s.setString(1, lower(path));
            s.setString(2, upper(path));
            return list(s);
        }
    }

    /** The number of entries strictly below {@code path}, their total size, and the deepest depth among them. */
    record SubtreeStats(long count, long size, int maxDepth) {}

    SubtreeStats subtreeStats(Connection c, FsPath path) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(size), 0),"
                + " COALESCE(MAX(LENGTH(path) - LENGTH(REPLACE(path, '/', ''))), 0)"
                + " FROM fsentries WHERE path >= ? AND path < ?")) {
            s.setString(1, lower(path));
            s.setString(2, upper(path));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return new SubtreeStats(r.getLong(1), r.getLong(2), r.getInt(3));
            }
        }
    }

    Entry insert(Connection c, Entry e) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO fsentries (uuid, parent_uid, user_id, name, path,"
                + " is_dir, immutable, is_shortcut, shortcut_to, is_symlink, symlink_path, is_public, public_token,"
                + " file_request_token, associated_app_id, metadata, layout, sort_by, sort_order, thumbnail, size,"
                + " created, modified, accessed, blob_key)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            int i = 1;
            s.setString(i++, e.uuid());
            setString(s, i++, e.parentUid());
            s.setLong(i++, e.userId());
            s.setString(i++, e.name());
            s.setString(i++, e.path().value());
            s.setInt(i++, e.isDir() ? 1 : 0);
            s.setInt(i++, e.immutable() ? 1 : 0);
            s.setInt(i++, e.isShortcut() ? 1 : 0);
            setString(s, i++, e.shortcutTo());
            s.setInt(i++, e.isSymlink() ? 1 : 0);
            setString(s, i++, e.symlinkPath());
            if (e.isPublic().isPresent()) {
                s.setInt(i++, e.isPublic().get());
            } else {
                s.setNull(i++, Types.SMALLINT);
            }
            setString(s, i++, e.publicToken());
            setString(s, i++, e.fileRequestToken());
            setLong(s, i++, e.associatedAppId());
            setString(s, i++, e.metadata());
            setString(s, i++, e.layout());
            setString(s, i++, e.sortBy());
            setString(s, i++, e.sortOrder());
            setString(s, i++, e.thumbnail());
            setLong(s, i++, e.size());
            s.setLong(i++, e.created());
            s.setLong(i++, e.modified());
            setLong(s, i++, e.accessed());
            setString(s, i++, e.blobKey());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                long id = r.getLong(1);
                return new Entry(id, e.uuid(), e.parentUid(), e.userId(), e.name(), e.path(), e.isDir(), e.immutable(),
                        e.isShortcut(), e.shortcutTo(), e.isSymlink(), e.symlinkPath(), e.isPublic(), e.publicToken(),
                        e.fileRequestToken(), e.associatedAppId(), e.metadata(), e.layout(), e.sortBy(), e.sortOrder(),
                        e.thumbnail(), e.size(), e.created(), e.modified(), e.accessed(), e.blobKey());
            }
        }
    }

    /** An overwrite: new content key, size and times; the thumbnail is replaced (cleared when absent). */
    void updateContent(Connection c, String uuid, String blobKey, long size, long now, Optional<String> thumbnail)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE fsentries SET blob_key = ?, size = ?, modified = ?,"
                + " accessed = ?, thumbnail = ? WHERE uuid = ?")) {
            s.setString(1, blobKey);
            s.setLong(2, size);
            s.setLong(3, now);
            s.setLong(4, now);
            setString(s, 5, thumbnail);
            s.setString(6, uuid);
            s.executeUpdate();
        }
    }

    /** Sets the GUI view columns of a directory ({@code layout}, {@code sort_by}, {@code sort_order}). */
    void updateView(Connection c, String uuid, Optional<String> layout, Optional<String> sortBy,
                    Optional<String> sortOrder) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE fsentries SET layout = ?, sort_by = ?, sort_order = ? WHERE uuid = ?")) {
            setString(s, 1, layout);
            setString(s, 2, sortBy);
            setString(s, 3, sortOrder);
            s.setString(4, uuid);
            s.executeUpdate();
        }
    }

    void updateThumbnail(Connection c, String uuid, Optional<String> thumbnail) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE fsentries SET thumbnail = ? WHERE uuid = ?")) {
            setString(s, 1, thumbnail);
            s.setString(2, uuid);
            s.executeUpdate();
        }
    }

    void touchModified(Connection c, String uuid, long now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE fsentries SET modified = ? WHERE uuid = ?")) {
            s.setLong(1, now);
            s.setString(2, uuid);
            s.executeUpdate();
        }
    }

    void touchAccessed(Connection c, String uuid, long now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE fsentries SET accessed = ? WHERE uuid = ?")) {
            s.setLong(1, now);
            s.setString(2, uuid);
            s.executeUpdate();
        }
    }

    /**
     * Moves or renames one entry and rewrites the paths of all its descendants (whoever owns them), in the
     * caller's transaction (filesystem.md 6.4).
     */
    void relocate(Connection c, Entry e, Optional<String> newParentUid, FsPath newPath, Optional<String> metadata)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE fsentries SET parent_uid = ?, name = ?, path = ?, metadata = ? WHERE uuid = ?")) {
            setString(s, 1, newParentUid);
            s.setString(2, newPath.name());
            s.setString(3, newPath.value());
            setString(s, 4, metadata);
            s.setString(5, e.uuid());
            s.executeUpdate();
        }
        if (e.isDir()) {
            try (PreparedStatement s = c.prepareStatement("UPDATE fsentries SET path = CAST(? AS TEXT) || SUBSTR(path, ?)"
                    + " WHERE path >= ? AND path < ?")) {
                s.setString(1, newPath.value());
                s.setInt(2, e.path().value().length() + 1);
                s.setString(3, lower(e.path()));
                s.setString(4, upper(e.path()));
                s.executeUpdate();
            }
        }
    }

    /** Deletes one entry; returns its content key, if any. */
    Optional<String> delete(Connection c, Entry e) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM fsentries WHERE uuid = ?")) {
            s.setString(1, e.uuid());
            s.executeUpdate();
        }
        return e.blobKey();
    }

    /** The paths of the entries a user owns whose parent the user does not own: the tops of their subtrees. */
    List<FsPath> topmostPathsOwnedBy(Connection c, long userId) throws SQLException {
        List<FsPath> paths = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT e.path FROM fsentries e"
                + " LEFT JOIN fsentries p ON p.uuid = e.parent_uid"
                + " WHERE e.user_id = ? AND (p.uuid IS NULL OR p.user_id <> e.user_id) ORDER BY e.path")) {
            s.setLong(1, userId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    paths.add(FsPath.of(r.getString(1)));
                }
            }
        }
        return paths;
    }

    /** Deletes every entry strictly below {@code path}; returns the content keys of the deleted files. */
    List<String> deleteDescendants(Connection c, FsPath path) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM fsentries WHERE path >= ? AND path < ? RETURNING blob_key")) {
            s.setString(1, lower(path));
            s.setString(2, upper(path));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String key = r.getString(1);
                    if (key != null) {
                        keys.add(key);
                    }
                }
            }
        }
        return keys;
    }

    /** The sum of the sizes of every entry the user owns, Trash included (filesystem.md 1.5). */
    long usage(Connection c, long userId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(size), 0) FROM fsentries WHERE user_id = ?")) {
            s.setLong(1, userId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /**
     * PostgreSQL: share-locks the rows of a path's ancestors (and the path itself) so that none of them can be
     * renamed or moved until this transaction ends; the caller then re-reads what it needs, seeing the paths as
     * they are. SQLite needs nothing: its single connection runs one transaction at a time.
     */
    void lockChain(Connection c, FsPath path) throws SQLException {
        if (dialect != Dialect.POSTGRES || path.isRoot()) {
            return;
        }
        List<String> paths = new ArrayList<>();
        for (FsPath p = path; !p.isRoot(); p = p.parent()) {
            paths.add(p.value());
        }
        String marks = String.join(", ", java.util.Collections.nCopies(paths.size(), "?"));
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM fsentries WHERE path IN (" + marks
                + ") ORDER BY path FOR SHARE")) {
            for (int i = 0; i < paths.size(); i++) {
                s.setString(i + 1, paths.get(i));
            }
            s.executeQuery().close();
        }
    }

    /** PostgreSQL: locks one row for update (a delete, an overwrite, a move); re-read it afterwards. */
    void lockRow(Connection c, String uuid) throws SQLException {
        if (dialect != Dialect.POSTGRES) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM fsentries WHERE uuid = ? FOR UPDATE")) {
            s.setString(1, uuid);
            s.executeQuery().close();
        }
    }

    /** PostgreSQL: serialises the quota checks of one user's writes until the end of the transaction. */
    void lockUsage(Connection c, long userId) throws SQLException {
        if (dialect != Dialect.POSTGRES) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            s.setLong(1, 0x4653_0000_0000_0000L ^ userId);
            s.executeQuery().close();
        }
    }

    static String lower(FsPath path) {
        return path.isRoot() ? "/" : path.value() + "/";
    }

    static String upper(FsPath path) {
        return path.isRoot() ? "0" : path.value() + "0";
    }

    /** At most one entry, through a {@link KeptStatements kept statement}. */
    private Optional<Entry> one(Connection c, String sql, String... args) throws SQLException {
        if (unchanged.isPresent()) {
            return unchanged.get().get(c, sql, args, () -> read(c, sql, args));
        }
        return read(c, sql, args);
    }

    private Optional<Entry> read(Connection c, String sql, String... args) throws SQLException {
        PreparedStatement s = kept.get(c, sql);
        for (int i = 0; i < args.length; i++) {
            s.setString(i + 1, args[i]);
        }
        try (ResultSet r = s.executeQuery()) {
            return r.next() ? Optional.of(map(r)) : Optional.empty();
        }
    }

    private static List<Entry> list(PreparedStatement s) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(map(r));
            }
        }
        return out;
    }

    /**
     * An entry from a row whose first columns are {@link #COLUMNS}, read by position: sqlite-jdbc resolves a column
     * name by asking the native statement for every name again, on each call, which was a visible share of a
     * {@code /stat}.
     */
    private static Entry map(ResultSet r) throws SQLException {
        return new Entry(
                r.getLong(1),
                r.getString(2),
                Optional.ofNullable(r.getString(3)),
                r.getLong(4),
                r.getString(5),
                new FsPath(r.getString(6)),
                r.getInt(7) != 0,
                r.getInt(8) != 0,
                r.getInt(9) != 0,
                Optional.ofNullable(r.getString(10)),
                r.getInt(11) != 0,
                Optional.ofNullable(r.getString(12)),
                optInt(r, 13),
                Optional.ofNullable(r.getString(14)),
                Optional.ofNullable(r.getString(15)),
                optLong(r, 16),
                Optional.ofNullable(r.getString(17)),
                Optional.ofNullable(r.getString(18)),
                Optional.ofNullable(r.getString(19)),
                Optional.ofNullable(r.getString(20)),
                Optional.ofNullable(r.getString(21)),
                optLong(r, 22),
                r.getLong(23),
                r.getLong(24),
                optLong(r, 25),
                Optional.ofNullable(r.getString(26)));
    }

    private static Optional<Long> optLong(ResultSet r, int column) throws SQLException {
        long v = r.getLong(column);
        return r.wasNull() ? Optional.empty() : Optional.of(v);
    }

    private static Optional<Integer> optInt(ResultSet r, int column) throws SQLException {
        int v = r.getInt(column);
        return r.wasNull() ? Optional.empty() : Optional.of(v);
    }

    private static void setString(PreparedStatement s, int i, Optional<String> v) throws SQLException {
        if (v.isPresent()) {
            s.setString(i, v.get());
        } else {
            s.setNull(i, Types.VARCHAR);
        }
    }

    private static void setLong(PreparedStatement s, int i, Optional<Long> v) throws SQLException {
        if (v.isPresent()) {
            s.setLong(i, v.get());
        } else {
            s.setNull(i, Types.BIGINT);
        }
    }
}
