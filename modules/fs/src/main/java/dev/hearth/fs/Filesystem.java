package dev.hearth.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.core.Database;
import dev.hearth.core.FilesystemAcl;
import dev.hearth.core.spi.Migrations;
import dev.hearth.fs.spi.BlobStore;
import dev.hearth.fs.spi.FsAccess;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * The {@code filesystem} service: entries in the database ({@code fsentries}), content in a {@link BlobStore},
 * and the operations of filesystem.md section 3 with their options, checks and errors, each on behalf of a
 * {@link FsUser}. The HTTP routes translate parameters into the request records and results into bodies.
 *
 * <p>Consistency (filesystem.md 6): every change of rows happens in one transaction, committed before the
 * method returns (read-your-writes for every later request on any instance). Names are unique per folder by a
 * database constraint; a request that loses a race for a name runs again and sees it taken (then dedupes,
 * reuses the directory, or answers 409). Content is streamed to the blob store before the transaction, under a
 * key no reader knows yet, and becomes visible with the row; content that the transaction removed or replaced is
 * deleted after the commit. Events are emitted after the commit.
 *
 * <p>Configuration, {@code services.filesystem}: {@code storage_dir} (default {@code storage} in the data
 * directory), {@code storage_capacity} (bytes per user; default 0, unlimited), {@code max_file_size} (default
 * 100 000 000 000), {@code max_fsentry_name_length} (default 767).
 */
public final class Filesystem implements Service, Migrations {

    private static final Logger log = LoggerFactory.getLogger(Filesystem.class);

    /** Upstream's {@code MAX_DIRECTORY_DEPTH}. */
    public static final int MAX_DEPTH = 35;

    /** Thumbnails longer than this are refused (filesystem.md 1.7, Hearth's fix). */
    public static final int MAX_THUMBNAIL_LENGTH = 2_097_152;

    /** The names of the directories every home has (filesystem.md 1.9). */
    public static final List<String> HOME_DIRECTORIES =
            List.of("Trash", "AppData", "Desktop", "Documents", "Pictures", "Videos", "Public");

    static final int PAGE = 1000;

    /** At most one {@code upload.progress} event per upload in this time (and one at its end). */
    static final java.time.Duration PROGRESS_INTERVAL = java.time.Duration.ofMillis(250);

    private final ServiceContext context;
    private final FilesystemSettings settings;
    private volatile Tx tx;
    private volatile FsEntries entries;
    private volatile BlobStore store;
    private volatile FsAccess access;
    private volatile Optional<Path> localStorage = Optional.empty();
    private volatile FsThumbnails thumbnails;
    /** Content stored before this instant is from an earlier process (see {@link BlobSweep}). */
    private final Instant booted = Instant.now();

    Filesystem(ServiceContext context) {
        this.context = context;
        this.settings = context.settings(FilesystemSettings.class);
    }

    @Override
    public void init() throws IOException {
        Database db = context.services().get(Database.class);
        tx = new Tx(db.jdbi(), db.dataSource());
        entries = new FsEntries(db.dialect());
        List<BlobStore> stores = context.services().all(BlobStore.class);
        if (stores.size() > 1) {
            throw new IllegalStateException("several blob stores are registered (" + stores + "); keep one");
        }
        if (stores.isEmpty()) {
            Path dir = context.dataDir().resolve(settings.storageDir()).toAbsolutePath().normalize();
            store = new LocalDiskBlobStore(dir);
            localStorage = Optional.of(dir);
            log.info("file content is stored on the local disk in {}", dir);
        } else {
            store = stores.getFirst();
            log.info("file content is stored in {}", store); // a store's toString says where, without secrets
        }
        access = context.services().find(FsAccess.class)
                .orElseGet(() -> new ActorAccess(context.services().get(FilesystemAcl.class)));
        thumbnails = new FsThumbnails(context.config().bind("services.thumbnails", ThumbnailSettings.class),
                new FsThumbnails.Target() {
                    @Override
                    public InputStream open(String blobKey, long length) throws IOException {
                        return store.open(blobKey, 0, length);
                    }

                    @Override
                    public void apply(String uuid, String blobKey, String dataUrl) {
                        applyThumbnail(uuid, blobKey, dataUrl);
                    }
                });
        // New and overwritten files without a thumbnail get one made, once committed (their events come then).
        dev.hearth.kernel.EventListener offer = (key, data, meta) -> {
            if (data instanceof FsNodeEvent e) {
                thumbnails.offer(e.node());
            }
        };
        context.events().on("fs.create.file", offer);
        context.events().on("fs.write.file", offer);
    }

    @Override
    public void shutdown() {
        if (thumbnails != null) {
            thumbnails.close();
        }
    }

    /**
     * Stores a thumbnail made for a file, if the file still has the content it was made from and still has no
     * thumbnail, and announces it ({@code item.updated}) to the owner.
     */
    private void applyThumbnail(String uuid, String blobKey, String dataUrl) {
        Optional<Entry> before = tx.lookup(c -> entries.byUuid(c, uuid));
        if (before.isEmpty()) {
            return;
        }
        FsUser owner = new FsUser(before.get().userId(), before.get().ownerUsername());
        FsEvents ev = events(owner, ClientMetadata.NONE);
        tx.write(c -> {
            ev.discard();
            entries.lockRow(c, uuid);
            Optional<Entry> now = entries.byUuid(c, uuid);
            if (now.isEmpty() || !now.get().blobKey().equals(Optional.of(blobKey)) || now.get().thumbnail().isPresent()) {
                return null;
            }
            entries.updateThumbnail(c, uuid, Optional.of(dataUrl));
            ev.written(entries.byUuid(c, uuid).orElseThrow());
            return null;
        });
        ev.flush();
    }

    /** After the migrations (the database consolidates first) and before the server accepts requests. */
    @Override
    public void consolidate() throws IOException {
        if (store instanceof LocalDiskBlobStore local) {
            BlobSweep.run(tx, local, booted);
        }
    }

    @Override
    public String migrationsName() {
        return "fs";
    }

    @Override
    public String migrationsLocation() {
        return "db/fs";
    }

    /** {@code max_fsentry_name_length}: the routes check names in their own body shapes. */
    int maxNameLength() {
        return settings.maxNameLength();
    }

    /** The store the content lives in. */
    public BlobStore blobStore() {
        return store;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Homes

    /**
     * Creates {@code /<username>} with its default directories, all immutable, in one transaction. Idempotent:
     * what exists is kept, what is missing is added.
     */
    public Entry createHome(FsUser user) {
        return tx.write(c -> {
            long now = now();
            FsPath homePath = FsPath.ROOT.child(FsNames.validate(user.username(), settings.maxNameLength()));
            Entry home = entries.byPath(c, homePath).orElse(null);
            if (home == null) {
                home = entries.insert(c, dir(UUID.randomUUID().toString(), Optional.empty(), user.id(), homePath, true, now));
            } else if (home.userId() != user.id()) {
                throw new IllegalStateException("the home directory " + homePath + " belongs to user " + home.userId()
                        + ", not to user " + user.id());
            }
            for (String name : HOME_DIRECTORIES) {
                if (entries.child(c, home, name).isEmpty()) {
                    entries.insert(c, dir(UUID.randomUUID().toString(), Optional.of(home.uuid()), user.id(),
                            homePath.child(name), true, now));
                }
            }
            return home;
        });
    }

    /**
     * Renames {@code /<oldName>} to {@code /<newName>} with everything below it, when a user changes their
     * username. Homes are immutable to users; this is the one way they move.
     */
    public void renameHome(FsUser user, String oldName) {
        tx.write(c -> {
            FsPath from = FsPath.ROOT.child(oldName);
            FsPath to = FsPath.ROOT.child(FsNames.validate(user.username(), settings.maxNameLength()));
            Entry home = entries.byPath(c, from).orElse(null);
            if (home == null || home.userId() != user.id()) {
                return null; // no home to move: createHome makes one on demand
            }
            entries.lockRow(c, home.uuid());
            entries.relocate(c, home, Optional.empty(), to, home.metadata());
            return null;
        });
    }

    /**
     * Removes everything of a user who is being deleted: the home with all below it, and every entry the user
     * owns elsewhere (in folders others shared) with what is below those; then their content. Nothing is left
     * that points at the user.
     */
    public void deleteEverythingOf(FsUser user) {
        List<String> keys = tx.write(c -> {
            List<String> k = new ArrayList<>();
            List<FsPath> roots = new ArrayList<>();
            roots.add(FsPath.ROOT.child(user.username()));
            roots.addAll(entries.topmostPathsOwnedBy(c, user.id()));
            for (FsPath root : roots) {
                Optional<Entry> e = entries.byPath(c, root);
                if (e.isPresent()) {
                    k.addAll(entries.deleteDescendants(c, root));
                    entries.delete(c, e.get()).ifPresent(k::add);
                }
            }
            return k;
        });
        for (String key : keys) {
            try {
                store.delete(key);
            } catch (IOException | RuntimeException e) {
                log.warn("content {} of a deleted user could not be removed: {}", key, e.toString());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading

    /** {@code /stat}: the entry, if the user may read it. */
    public Entry stat(FsUser user, NodeRef ref) {
        // The most frequent request: the entry on a connection of its own and the check after, which an owner in their
        // own home passes without the database, so that neither takes a JDBI handle (Tx.lookup).
        Entry e = tx.lookup(c -> resolve(c, ref)).orElseThrow(FsErrors::subjectDoesNotExist);
        checkNow(user, e, FsAccess.Mode.READ);
        return e;
    }

    /**
     * The entry a reference names, <em>without</em> any access check: for what acts as the owner (signed URLs)
     * and for serialization ({@code shortcut_to_path} is the path of the shortcut's target).
     */
    public Optional<Entry> lookup(NodeRef ref) {
        return tx.lookup(c -> resolve(c, ref));
    }

    /**
     * {@code /touch} (filesystem.md 3.24, Hearth's fix): an empty file where nothing is, else the requested timestamps
     * set to now on an entry the user may write.
     */
    public Entry touch(FsUser user, NodeRef ref, boolean accessed, boolean modified) {
        Optional<Entry> existing = tx.lookup(c -> resolve(c, ref));
        if (existing.isEmpty()) {
            return write(user, new WriteRequest(ref, Optional.empty(), Optional.empty(), 0, false, false, false,
                    Optional.empty(), Optional.empty(), ClientMetadata.NONE), InputStream.nullInputStream());
        }
        long now = now();
        return tx.write(c -> {
            Entry e = resolve(c, ref).orElseThrow(FsErrors::subjectDoesNotExist);
            check(c, user, e, FsAccess.Mode.WRITE);
            if (accessed) {
                entries.touchAccessed(c, e.uuid(), now);
            }
            if (modified) {
                entries.touchModified(c, e.uuid(), now);
            }
            return entries.byUuid(c, e.uuid()).orElseThrow();
        });
    }

    /** {@code /search}: up to 50 of the user's own entries whose name contains {@code text} (filesystem.md 3.17). */
    public List<Entry> search(FsUser user, String text) {
        return tx.read(c -> entries.search(c, user.id(), text, 50));
    }

    /** Whether a directory has no children ({@code is_empty} of {@code /stat}). */
    public boolean isEmpty(Entry dir) {
        return dir.isRoot() ? false : !tx.read(c -> entries.hasChildren(c, dir.uuid()));
    }

    /**
     * One page of {@code /readdir}, in creation order, starting after the cursor {@code after} (0 for the
     * first page). The root lists the caller's home.
     */
    public Page readdirPage(FsUser user, NodeRef dirRef, long after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        Entry dir = listable(user, dirRef);
        if (dir.isRoot()) {
            if (after > 0) {
                return new Page(List.of(), OptionalLong.empty());
            }
            Optional<Entry> home = tx.lookup(c -> entries.byPath(c, FsPath.ROOT.child(user.username())));
            return new Page(home.map(List::of).orElse(List.of()), OptionalLong.empty());
        }
        List<Entry> page = tx.read(c -> entries.children(c, dir.uuid(), after, limit));
        return new Page(page, page.size() < limit ? OptionalLong.empty() : OptionalLong.of(page.getLast().id()));
    }

    /**
     * {@code /readdir} as a lazy stream: the children are fetched a page at a time, each page on a connection of
     * its own, so a folder of any size is listed in bounded memory and no connection is held between pages.
     */
    public Stream<Entry> readdir(FsUser user, NodeRef dirRef) {
        Page first = readdirPage(user, dirRef, 0, PAGE);
        Iterator<Entry> it = new Iterator<>() {
            Page page = first;
            int index;

            @Override
            public boolean hasNext() {
                while (index >= page.entries().size()) {
                    if (page.next().isEmpty()) {
                        return false;
                    }
                    page = readdirPage(user, dirRef, page.next().getAsLong(), PAGE);
                    index = 0;
                }
                return true;
            }

            @Override
            public Entry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.entries().get(index++);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    private Entry listable(FsUser user, NodeRef ref) {
        Entry dir = follow(user, tx.lookup(c -> resolve(c, ref)).orElseThrow(FsErrors::subjectDoesNotExist));
        if (!dir.isDir()) {
            checkNow(user, dir, FsAccess.Mode.SEE);
            throw FsErrors.readdirOfNonDirectory();
        }
        checkNow(user, dir, FsAccess.Mode.LIST);
        return dir;
    }

    /**
     * {@code /read}: the content of a file, ready to be served (with ranges). Records the access time.
     */
    public FileContent read(FsUser user, NodeRef ref) {
        return read(user, ref, true);
    }

    /**
     * The content of a file as {@link #read(FsUser, NodeRef)} gives it, without recording the access: for content
     * published to others (hosted sites), where every visit would otherwise be a write.
     */
    public FileContent readQuietly(FsUser user, NodeRef ref) {
        return read(user, ref, false);
    }

    private FileContent read(FsUser user, NodeRef ref, boolean recordAccess) {
        Entry e = follow(user, tx.lookup(c -> resolve(c, ref)).orElseThrow(FsErrors::subjectDoesNotExist));
        checkNow(user, e, FsAccess.Mode.READ);
        if (e.isDir()) {
            throw FsErrors.cannotReadADirectory();
        }
        if (recordAccess) {
            long now = now();
            tx.write(c -> {
                entries.touchAccessed(c, e.uuid(), now);
                return null;
            });
        }
        String uuid = e.uuid();
        return new FileContent(e, store, () -> tx.lookup(c -> entries.byUuid(c, uuid)));
    }

    /** Symlinks followed at most this many times in a row (a loop ends as a missing node). */
    static final int MAX_SYMLINK_HOPS = 16;

    /**
     * Where a symlink leads (read and readdir follow them; stat does not). A relative target is taken from the
     * link's directory. A dangling link, or a loop, is a missing node.
     */
    private Entry follow(FsUser user, Entry e) {
        Entry current = e;
        for (int hops = 0; current.isSymlink(); hops++) {
            if (hops == MAX_SYMLINK_HOPS) {
                throw FsErrors.subjectDoesNotExist();
            }
            checkNow(user, current, FsAccess.Mode.READ);
            String target = current.symlinkPath().orElse("");
            FsPath path;
            try {
                path = target.startsWith("/") ? FsPath.of(target) : current.path().parent().resolve(target);
            } catch (IllegalArgumentException badTarget) {
                throw FsErrors.subjectDoesNotExist();
            }
            current = tx.lookup(c -> resolve(c, NodeRef.path(path))).orElseThrow(FsErrors::subjectDoesNotExist);
        }
        return current;
    }

    /**
     * The media type of an entry: from its name, else from its first bytes (filesystem.md 2.7 {@code type}; Hearth
     * also looks at the content when the name says nothing). Empty for directories and unknown content.
     */
    public Optional<String> mediaType(Entry e) {
        Optional<String> byName = MediaTypes.of(e);
        if (byName.isPresent() || !e.isFile() || e.blobKey().isEmpty() || e.size().orElse(0L) == 0) {
            return byName;
        }
        try (InputStream in = store.open(e.blobKey().get(), 0, Math.min(e.size().get(), MediaTypes.HEAD_BYTES))) {
            return MediaTypes.detect(e.name(), in.readNBytes(MediaTypes.HEAD_BYTES));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty(); // replaced or removed meanwhile: the name's answer, which is none
        }
    }

    /** {@code /df}. */
    public DiskUsage df(FsUser user) {
        long used = tx.read(c -> entries.usage(c, user.id()));
        OptionalLong free = OptionalLong.empty();
        long total = Long.MAX_VALUE;
        if (localStorage.isPresent()) {
            try {
                var fileStore = Files.getFileStore(localStorage.get());
                free = OptionalLong.of(fileStore.getUsableSpace());
                total = fileStore.getTotalSpace();
            } catch (IOException e) {
                log.warn("cannot read the size of the disk holding {}: {}", localStorage.get(), e.toString());
            }
        }
        return new DiskUsage(used, settings.storageLimited() ? settings.storageCapacity() : total, free);
    }

    // ---------------------------------------------------------------------------------------------------------
    // mkdir

    /** {@code /mkdir} in both forms (filesystem.md 3.3). */
    public MkdirResult mkdir(FsUser user, MkdirRequest req) {
        if (req.path() == null) {
            throw FsErrors.fieldMissing("path");
        }
        checkPathFragment(req.path());
        FsEvents ev = events(user, req.client());
        List<String> garbage = new ArrayList<>();
        MkdirResult result = tx.write(c -> {
            ev.discard();
            garbage.clear();
            NodeRef parentRef;
            List<String> components = new ArrayList<>();
            String requested;
            if (req.parent().isPresent()) {
                parentRef = req.parent().get();
                for (String part : req.path().split("/")) {
                    if (!part.isEmpty() && !part.equals(".")) {
                        components.add(part);
                    }
                }
                if (components.isEmpty()) {
                    throw invalidPath();
                }
                requested = req.path();
            } else {
                NodeRef full = NodeRef.parse("path", req.path(), user.username());
                if (!(full instanceof NodeRef.ByPath byPath)) {
                    throw invalidPath();
                }
                if (byPath.path().isRoot() || byPath.path().parent().isRoot()) {
                    throw FsErrors.cannotMkdirInRoot();
                }
                parentRef = NodeRef.path(byPath.path().parent());
                components.add(byPath.path().name());
                requested = byPath.path().name();
            }
            List<String> names = new ArrayList<>();
            for (String part : components) {
                names.add(FsNames.validate(part, settings.maxNameLength()));
            }
            List<Entry> created = new ArrayList<>();
            Optional<Entry> found = resolve(c, parentRef);
            Entry parent;
            if (found.isEmpty()) {
                if (req.createMissingParents() && parentRef instanceof NodeRef.ByPath byPath) {
                    parent = ensureDirectories(c, user, byPath.path(), created, ev);
                } else {
                    throw FsErrors.mkdirParentDoesNotExist();
                }
            } else {
                parent = found.get();
                if (parent.isRoot()) {
                    throw FsErrors.cannotMkdirInRoot();
                }
                if (!parent.isDir()) {
                    throw FsErrors.destIsNotADirectory();
                }
            }
            int wouldBe = parent.path().depth() + names.size();
            if (wouldBe > MAX_DEPTH) {
                throw FsErrors.directoryDepthLimitExceeded(MAX_DEPTH, wouldBe);
            }
            if (parent.userId() != user.id()) {
                throw FsErrors.permissionDenied();
            }
            // Owning the parent is not enough: the request's actor may be an app held to its AppData.
            check(c, user, parent, FsAccess.Mode.WRITE);
            parent = relock(c, parent);
            long now = now();
            for (String name : names.subList(0, names.size() - 1)) {
                Optional<Entry> existing = entries.child(c, parent, name);
                if (existing.isPresent()) {
                    if (!existing.get().isDir()) {
                        throw FsErrors.destIsNotADirectory();
                    }
                    parent = existing.get();
                } else {
                    parent = entries.insert(c, dir(UUID.randomUUID().toString(), Optional.of(parent.uuid()),
                            parent.userId(), parent.path().child(name), false, now));
                    created.add(parent);
                    ev.created(parent);
                }
            }
            String name = names.getLast();
            Optional<Entry> existing = entries.child(c, parent, name);
            if (existing.isPresent()) {
                Entry taken = existing.get();
                if (req.overwrite()) {
                    if (taken.immutable()) {
                        throw FsErrors.immutable();
                    }
                    garbage.addAll(removeTree(c, taken, false));
                    ev.removed(taken, taken.path().value(), false);
                } else if (req.dedupeName()) {
                    name = freeName(c, parent, name, true);
                } else if (req.createMissingParents()) {
                    if (!taken.isDir()) {
                        throw FsErrors.destIsNotADirectory();
                    }
                    return new MkdirResult(taken, List.copyOf(created), requested, true);
                } else {
                    throw FsErrors.itemWithSameNameExists(taken.name());
                }
            }
            Entry made = entries.insert(c, dir(UUID.randomUUID().toString(), Optional.of(parent.uuid()),
                    parent.userId(), parent.path().child(name), false, now));
            ev.created(made);
            return new MkdirResult(made, List.copyOf(created), requested, false);
        });
        deleteBlobs(garbage);
        ev.flush();
        return result;
    }

    /** Creates the missing directories of {@code target} (mkdir -p), returning the last one. */
    private Entry ensureDirectories(Connection c, FsUser user, FsPath target, List<Entry> created, FsEvents ev)
            throws SQLException {
        Entry current = Entry.ROOT;
        long now = now();
        for (String part : target.components()) {
            Optional<Entry> child = entries.child(c, current, part);
            if (child.isPresent()) {
                if (!child.get().isDir()) {
                    throw FsErrors.destIsNotADirectory();
                }
                current = child.get();
                continue;
            }
            if (current.isRoot()) {
                throw FsErrors.cannotMkdirInRoot();
            }
            if (current.userId() != user.id()) {
                throw FsErrors.permissionDenied();
            }
            check(c, user, current, FsAccess.Mode.WRITE);
            String name = FsNames.validate(part, settings.maxNameLength());
            current = relock(c, current);
            current = entries.insert(c, dir(UUID.randomUUID().toString(), Optional.of(current.uuid()), current.userId(),
                    current.path().child(name), false, now));
            created.add(current);
            ev.created(current);
        }
        return current;
    }

    /** A {@code /mkdir} path: no control or unsafe characters, no component made only of dots. */
    private static void checkPathFragment(String path) {
        if (FsNames.hasUnsafeCharacter(path)) {
            throw invalidPath();
        }
        for (String part : path.split("/")) {
            if (!part.isEmpty() && FsNames.onlyDots(part)) {
                throw invalidPath();
            }
        }
    }

    private static ApiError invalidPath() {
        return ApiError.of(400, "field_invalid", "Field `path` is invalid. Expected valid path. Got invalid path.")
                .with("key", "path");
    }

    // ---------------------------------------------------------------------------------------------------------
    // write

    /** Where a write goes, as decided from the current state. */
    private record WritePlan(Entry parent, String name, Optional<Entry> replaced) {}

    /**
     * {@code /write}: streams {@code content} to the blob store, then creates or replaces the entry in one
     * transaction (filesystem.md 3.4, 6.7). An overwrite keeps the uuid; its new content and size become
     * visible together.
     */
    public Entry write(FsUser user, WriteRequest req, InputStream content) {
        if (req.declaredSize() > settings.maxFileSize()) {
            throw FsErrors.fileTooLarge(settings.maxFileSize());
        }
        Optional<String> thumbnail = FsThumbnails.fromClient(req.thumbnail());
        // Fail fast, before reading the upload: the same decisions are taken again when committing.
        Optional<WritePlan> early = tx.read(c -> planWrite(c, user, req, Optional.empty()));
        long limit = settings.maxFileSize();
        boolean quotaApplies = settings.storageLimited();
        if (quotaApplies) {
            long owner = early.map(p -> p.parent().userId()).orElse(user.id());
            long credit = early.flatMap(WritePlan::replaced).flatMap(Entry::size).orElse(0L);
            long room = settings.storageCapacity() - tx.read(c -> entries.usage(c, owner)) + credit;
            if (req.declaredSize() > room || room < 0) {
                throw FsErrors.storageLimitReached();
            }
            limit = Math.min(limit, room);
        }
        boolean overwriting = early.flatMap(WritePlan::replaced).isPresent();
        String newUuid = UUID.randomUUID().toString();
        // A new file's content is stored under its uuid (the legacy layout); a replacement under a fresh key, so
        // the old content stays readable until the row points to the new one.
        String key = overwriting ? UUID.randomUUID().toString() : newUuid;
        FsEvents ev = events(user, req.client());
        String itemUid = early.flatMap(WritePlan::replaced).map(Entry::uuid).orElse(newUuid);
        String itemPath = early.map(p -> p.parent().path().child(p.name()).value()).orElseGet(() -> switch (req.path()) {
            case NodeRef.ByPath p -> req.name().map(n -> p.path().child(n)).orElse(p.path()).value();
            case NodeRef.ByUid u -> u.uid();
        });
        if (early.isPresent() && !overwriting) {
            WritePlan p = early.get();
            long at = now();
            ev.pendingNow(new Entry(0, newUuid, Optional.of(p.parent().uuid()), p.parent().userId(), p.name(),
                    p.parent().path().child(p.name()), false, false, false, Optional.empty(), false, Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), req.associatedAppId(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), thumbnail, Optional.of(Math.max(0,
                    req.declaredSize())), at, at, Optional.of(at), Optional.empty()));
        }
        long count;
        try {
            InputStream reported = ev.progress(content, itemUid, itemPath, req.declaredSize(), PROGRESS_INTERVAL);
            count = store.write(key, new LimitedInput(reported, limit, limit == settings.maxFileSize()
                    ? FsErrors.fileTooLarge(settings.maxFileSize()) : FsErrors.storageLimitReached()), -1);
        } catch (IOException e) {
            log.warn("upload failed: {}", e.toString());
            throw FsErrors.uploadFailed();
        }
        List<String> garbage = new ArrayList<>();
        Entry result;
        try {
            result = tx.write(c -> {
                ev.discard();
                garbage.clear();
                List<Entry> created = new ArrayList<>();
                WritePlan plan = planWrite(c, user, req, Optional.of(new Creation(created, ev))).orElseThrow();
                Entry parent = plan.parent();
                if (quotaApplies) {
                    entries.lockUsage(c, parent.userId());
                    long credit = plan.replaced().flatMap(Entry::size).orElse(0L);
                    if (entries.usage(c, parent.userId()) - credit + count > settings.storageCapacity()) {
                        throw FsErrors.storageLimitReached();
                    }
                }
                long now = now();
                Optional<String> thumb = parent.path().components().size() >= 2
                        && parent.path().components().get(1).equals("AppData") ? Optional.empty() : thumbnail;
                if (plan.replaced().isPresent()) {
                    Entry old = plan.replaced().get();
                    entries.lockRow(c, old.uuid());
                    Entry current = entries.byUuid(c, old.uuid()).orElseThrow(FsErrors::subjectDoesNotExist);
                    entries.updateContent(c, old.uuid(), key, count, now, thumb);
                    current.blobKey().filter(k -> !k.equals(key)).ifPresent(garbage::add);
                    Entry updated = entries.byUuid(c, old.uuid()).orElseThrow();
                    ev.written(updated);
                    return updated;
                }
                FsPath path = parent.path().child(plan.name());
                Entry made = entries.insert(c, new Entry(0, newUuid, Optional.of(parent.uuid()), parent.userId(),
                        plan.name(), path, false, false, false, Optional.empty(), false, Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), req.associatedAppId(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), thumb, Optional.of(count), now, now,
                        Optional.of(now), Optional.of(key)));
                ev.created(made);
                return made;
            });
        } catch (RuntimeException e) {
            deleteBlobs(List.of(key));
            throw e;
        }
        deleteBlobs(garbage);
        ev.flush();
        return result;
    }

    /**
     * A batch {@code write} with {@code offset} (filesystem.md 4.2): bytes {@code [offset, offset + n)} of an
     * existing file are replaced by the {@code n} bytes of {@code content} (the offset is cut to the current
     * size); the new size is {@code max(old, offset + n)}. The file keeps its uuid; the combined content is
     * written as a new object and swapped in like any overwrite.
     */
    public Entry writeAt(FsUser user, NodeRef file, long offset, boolean overwrite, InputStream content,
                         ClientMetadata client) {
        if (offset < 0) {
            throw ApiError.of(400, "field_invalid", "Field `offset` is invalid. Expected a non-negative integer.")
                    .with("key", "offset");
        }
        Entry old = tx.lookup(c -> resolve(c, file)).orElseThrow(() -> ApiError.of(404, "offset_without_existing_file",
                "An offset was specified, but the file doesn't exist."));
        if (!overwrite) {
            throw ApiError.of(400, "offset_requires_overwrite",
                    "An offset was specified, but overwrite conditions were not met.");
        }
        checkNow(user, old, FsAccess.Mode.WRITE);
        if (old.isDir()) {
            throw FsErrors.cannotOverwriteADirectory();
        }
        if (old.immutable()) {
            throw FsErrors.immutable();
        }
        if (!old.isFile() || old.blobKey().isEmpty()) {
            throw ApiError.of(400, "offset_requires_stream", "The offset option for write is not available for this upload.");
        }
        long oldSize = old.size().orElse(0L);
        long start = Math.min(offset, oldSize);
        long limit = settings.maxFileSize() - start;
        if (settings.storageLimited()) {
            long room = settings.storageCapacity() - tx.read(c -> entries.usage(c, old.userId()));
            limit = Math.min(limit, room + (oldSize - start));
        }
        String oldKey = old.blobKey().get();
        String key = UUID.randomUUID().toString();
        LimitedInput upload = new LimitedInput(content, Math.max(0, limit), settings.storageLimited()
                ? FsErrors.storageLimitReached() : FsErrors.fileTooLarge(settings.maxFileSize()));
        InputStream suffix = new InputStream() {
            InputStream rest;

            private InputStream rest() throws IOException {
                if (rest == null) {
                    long from = start + upload.count;
                    rest = from >= oldSize ? InputStream.nullInputStream() : store.open(oldKey, from, oldSize - from);
                }
                return rest;
            }

            @Override
            public int read() throws IOException {
                return rest().read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return rest().read(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (rest != null) {
                    rest.close();
                }
            }
        };
        long count;
        try (InputStream prefix = store.open(oldKey, 0, start);
             InputStream combined = new java.io.SequenceInputStream(java.util.Collections.enumeration(
                     List.of(prefix, upload, suffix)))) {
            count = store.write(key, combined, -1);
        } catch (IOException e) {
            deleteBlobs(List.of(key));
            log.warn("partial write failed: {}", e.toString());
            throw FsErrors.uploadFailed();
        } catch (RuntimeException e) {
            deleteBlobs(List.of(key));
            throw e;
        }
        FsEvents ev = events(user, client);
        Entry updated;
        try {
            updated = tx.write(c -> {
                ev.discard();
                Entry current = lockForChange(c, old);
                if (!current.blobKey().equals(Optional.of(oldKey))) {
                    // Overwritten meanwhile: the bytes around the range came from content that is gone.
                    throw FsErrors.itemWithSameNameExists(current.name());
                }
                if (settings.storageLimited()) {
                    entries.lockUsage(c, current.userId());
                    if (entries.usage(c, current.userId()) - oldSize + count > settings.storageCapacity()) {
                        throw FsErrors.storageLimitReached();
                    }
                }
                entries.updateContent(c, current.uuid(), key, count, now(), current.thumbnail());
                Entry now = entries.byUuid(c, current.uuid()).orElseThrow();
                ev.written(now);
                return now;
            });
        } catch (RuntimeException e) {
            deleteBlobs(List.of(key));
            throw e;
        }
        deleteBlobs(List.of(oldKey));
        ev.flush();
        return updated;
    }

    /** What a committing write may create on its way: missing parent directories, announced as events. */
    private record Creation(List<Entry> created, FsEvents events) {}

    /**
     * Decides where a write goes. Without {@code creation} (the early check) it changes nothing and answers empty
     * when the destination does not exist yet but would be created; with it, it creates missing directories and
     * locks the parent chain.
     */
    private Optional<WritePlan> planWrite(Connection c, FsUser user, WriteRequest req, Optional<Creation> creation)
            throws SQLException {
        Optional<Entry> node = resolve(c, req.path());
        if (node.isEmpty() && req.createMissingParents() && req.path() instanceof NodeRef.ByPath byPath) {
            if (creation.isEmpty()) {
                return Optional.empty();
            }
            node = Optional.of(ensureDirectories(c, user, byPath.path(), creation.get().created(), creation.get().events()));
        }
        if (node.isPresent() && node.get().isRoot()) {
            throw FsErrors.cannotWriteToRoot();
        }
        Entry parent;
        String name;
        if (req.name().isPresent()) {
            Entry dir = node.orElseThrow(FsErrors::destDoesNotExist);
            if (!dir.isDir()) {
                throw FsErrors.destIsNotADirectory();
            }
            parent = dir;
            name = req.name().get();
        } else if (node.isPresent() && node.get().isDir()) {
            parent = node.get();
            name = req.fallbackName().orElse("");
        } else if (node.isPresent()) {
            Entry file = node.get();
            parent = file.parentUid().isEmpty() ? Entry.ROOT
                    : entries.byUuid(c, file.parentUid().get()).orElseThrow(FsErrors::subjectDoesNotExist);
            name = file.name();
        } else if (req.path() instanceof NodeRef.ByPath byPath) {
            FsPath dirPath = byPath.path().parent();
            if (dirPath.isRoot()) {
                throw FsErrors.cannotWriteToRoot();
            }
            parent = entries.byPath(c, dirPath).orElseThrow(FsErrors::subjectDoesNotExist);
            if (!parent.isDir()) {
                throw FsErrors.destIsNotADirectory();
            }
            name = byPath.path().name();
        } else {
            throw FsErrors.subjectDoesNotExist();
        }
        if (parent.isRoot()) {
            throw FsErrors.cannotWriteToRoot();
        }
        name = FsNames.validate(name, settings.maxNameLength());
        if (creation.isPresent()) {
            parent = relock(c, parent);
        }
        Optional<Entry> existing = entries.child(c, parent, name);
        check(c, user, existing.filter(e -> !req.dedupeName()).orElse(parent), FsAccess.Mode.WRITE);
        if (existing.isPresent()) {
            Entry taken = existing.get();
            if (req.dedupeName()) {
                return Optional.of(new WritePlan(parent, freeName(c, parent, name, false), Optional.empty()));
            }
            if (!req.overwrite()) {
                throw FsErrors.itemWithSameNameExists(taken.name());
            }
            if (taken.immutable()) {
                throw FsErrors.immutable();
            }
            if (taken.isDir()) {
                throw FsErrors.cannotOverwriteADirectory();
            }
            return Optional.of(new WritePlan(parent, name, Optional.of(taken)));
        }
        return Optional.of(new WritePlan(parent, name, Optional.empty()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Committing content already stored (signed uploads)

    /**
     * Commits content that is already in the blob store under {@code key} (a signed upload's, which no reader
     * knows yet) as the file {@code req} names: the decisions of {@link #write} (access with the request's actor,
     * overwrite, dedupe, missing parents, quota with the replaced size credited) taken in one transaction, in which
     * {@code alsoInTx} runs too (the caller marks its upload record completed there, so that the entry and the
     * record change together or not at all). An overwrite keeps the uuid and switches to {@code key} at the
     * commit; a new file gets {@code newUuid}. The replaced content is deleted afterwards; on failure {@code key}
     * is left to the caller.
     */
    Entry commitStaged(FsUser user, WriteRequest req, String newUuid, String key, long size, Tx.Work<Void> alsoInTx) {
        if (size > settings.maxFileSize()) {
            throw FsErrors.fileTooLarge(settings.maxFileSize());
        }
        Optional<String> thumbnail = req.thumbnail().filter(t -> !t.isEmpty());
        if (thumbnail.isPresent() && thumbnail.get().length() > MAX_THUMBNAIL_LENGTH) {
            throw ApiError.of(413, "thumbnail_too_large", "Thumbnail too large. Max size is " + MAX_THUMBNAIL_LENGTH
                    + " bytes.").with("max_size", MAX_THUMBNAIL_LENGTH);
        }
        FsEvents ev = new FsEvents(context.events(), user, req.client());
        List<String> garbage = new ArrayList<>();
        Entry result = tx.write(c -> {
            ev.discard();
            garbage.clear();
            List<Entry> created = new ArrayList<>();
            WritePlan plan = planWrite(c, user, req, Optional.of(new Creation(created, ev))).orElseThrow();
            Entry parent = plan.parent();
            if (settings.storageLimited()) {
                entries.lockUsage(c, parent.userId());
                long credit = plan.replaced().flatMap(Entry::size).orElse(0L);
                if (entries.usage(c, parent.userId()) - credit + size > settings.storageCapacity()) {
                    throw FsErrors.storageLimitReached();
                }
            }
            long now = now();
            Optional<String> thumb = parent.path().components().size() >= 2
                    && parent.path().components().get(1).equals("AppData") ? Optional.empty() : thumbnail;
            Entry out;
            if (plan.replaced().isPresent()) {
                Entry current = lockForChange(c, plan.replaced().get());
                entries.updateContent(c, current.uuid(), key, size, now, thumb);
                current.blobKey().filter(k -> !k.equals(key)).ifPresent(garbage::add);
                out = entries.byUuid(c, current.uuid()).orElseThrow();
                ev.written(out);
            } else {
                out = entries.insert(c, new Entry(0, newUuid, Optional.of(parent.uuid()), parent.userId(), plan.name(),
                        parent.path().child(plan.name()), false, false, false, Optional.empty(), false,
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), req.associatedAppId(),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), thumb,
                        Optional.of(size), now, now, Optional.of(now), Optional.of(key)));
                ev.created(out);
            }
            alsoInTx.run(c);
            return out;
        });
        deleteBlobs(garbage);
        ev.flush();
        return result;
    }

    // ---------------------------------------------------------------------------------------------------------
    // delete

    /** One item of {@code /delete} (filesystem.md 3.7): rows in one transaction, content afterwards. */
    public void delete(FsUser user, DeleteRequest req) {
        FsEvents ev = events(user, req.client());
        List<String> garbage = tx.write(c -> {
            ev.discard();
            Entry e = resolve(c, req.node()).orElseThrow(FsErrors::subjectDoesNotExist);
            if (e.isRoot()) {
                throw FsErrors.forbidden();
            }
            check(c, user, e, FsAccess.Mode.WRITE);
            e = lockForChange(c, e);
            List<String> keys;
            if (e.isDir()) {
                if (e.immutable() && !req.descendantsOnly()) {
                    throw FsErrors.immutable();
                }
                if (!req.recursive() && entries.hasChildren(c, e.uuid())) {
                    throw FsErrors.notEmpty();
                }
                keys = removeTree(c, e, req.descendantsOnly());
            } else {
                if (e.immutable()) {
                    throw FsErrors.immutable();
                }
                keys = removeTree(c, e, false);
            }
            ev.removed(e, req.node().raw(), req.descendantsOnly());
            return keys;
        });
        deleteBlobs(garbage);
        ev.flush();
    }

    /** Deletes the rows of an entry's subtree (and the entry unless {@code keepRoot}); returns the content keys. */
    private List<String> removeTree(Connection c, Entry e, boolean keepRoot) throws SQLException {
        List<String> keys = new ArrayList<>();
        if (e.isDir()) {
            keys.addAll(entries.deleteDescendants(c, e.path()));
        }
        if (!keepRoot) {
            entries.delete(c, e).ifPresent(keys::add);
        }
        return keys;
    }

    // ---------------------------------------------------------------------------------------------------------
    // move and rename

    /** {@code /move} (filesystem.md 3.8): the node and its descendants' paths change in one transaction. */
    public MoveResult move(FsUser user, MoveRequest req) {
        if (req.source() instanceof NodeRef.ByPath p && p.path().isRoot()) {
            throw FsErrors.immutable();
        }
        if (req.destination() instanceof NodeRef.ByPath p && p.path().isRoot()) {
            throw FsErrors.cannotCopyToRoot();
        }
        FsEvents ev = events(user, req.client());
        List<String> garbage = new ArrayList<>();
        MoveResult result = tx.write(c -> {
            ev.discard();
            garbage.clear();
            Entry source = resolve(c, req.source()).orElseThrow(FsErrors::sourceDoesNotExist);
            if (source.isRoot()) {
                throw FsErrors.immutable();
            }
            if (!legacyOwner(user, source, false)) {
                throw FsErrors.forbidden();
            }
            if (source.immutable()) {
                throw FsErrors.immutable();
            }
            Optional<Entry> destination = resolve(c, req.destination());
            if (destination.isPresent() && destination.get().isRoot()) {
                throw FsErrors.cannotCopyToRoot();
            }
            List<Entry> created = new ArrayList<>();
            Optional<Entry> conflict = Optional.empty();
            Entry parent;
            if (req.newName().isEmpty() && destination.isPresent() && !destination.get().isDir()) {
                conflict = destination;
                parent = parentOf(c, destination.get());
            } else if (destination.isEmpty()) {
                if (req.createMissingParents() && req.destination() instanceof NodeRef.ByPath byPath) {
                    parent = ensureDirectories(c, user, byPath.path(), created, ev);
                } else {
                    throw FsErrors.destDoesNotExist();
                }
            } else {
                parent = destination.get();
            }
            if (parent.isRoot()) {
                throw FsErrors.cannotCopyToRoot();
            }
            if (!legacyOwner(user, parent, true)) {
                throw FsErrors.forbidden();
            }
            if (!parent.isDir()) {
                throw FsErrors.destIsNotADirectory();
            }
            String name = FsNames.validate(req.newName().orElse(source.name()), settings.maxNameLength());
            if (parent.uuid().equals(source.uuid())) {
                throw FsErrors.sourceAndDestAreTheSame();
            }
            if (parent.path().isWithin(source.path())) {
                throw FsErrors.cannotMoveItemIntoItself();
            }
            check(c, user, source, FsAccess.Mode.WRITE);
            check(c, user, parent, FsAccess.Mode.WRITE);
            source = lockForChange(c, source);
            parent = relock(c, parent);
            if (parent.path().isWithin(source.path())) {
                throw FsErrors.cannotMoveItemIntoItself();
            }
            if (conflict.isEmpty()) {
                conflict = entries.child(c, parent, name);
            }
            Entry src = source;
            conflict = conflict.filter(e -> !e.uuid().equals(src.uuid()));
            Optional<Entry> overwritten = Optional.empty();
            if (conflict.isPresent()) {
                Entry taken = conflict.get();
                if (req.dedupeName()) {
                    name = freeName(c, parent, name, source.isDir());
                } else if (req.overwrite()) {
                    if (taken.immutable()) {
                        throw FsErrors.immutable();
                    }
                    if (taken.isDir() && entries.hasChildren(c, taken.uuid())) {
                        throw FsErrors.notEmpty();
                    }
                    entries.delete(c, taken).ifPresent(garbage::add);
                    overwritten = Optional.of(taken);
                    ev.removed(taken, taken.path().value(), false);
                } else {
                    throw FsErrors.itemWithSameNameExists(taken.name());
                }
            }
            FsPath target = parent.path().child(name);
            int below = source.isDir() ? Math.max(0, entries.subtreeStats(c, source.path()).maxDepth()
                    - source.path().depth()) : 0;
            if (target.depth() + below > MAX_DEPTH) {
                throw FsErrors.directoryDepthLimitExceeded(MAX_DEPTH, target.depth() + below);
            }
            if (settings.storageLimited() && parent.userId() != source.userId()) {
                entries.lockUsage(c, parent.userId());
                long size = source.size().orElse(0L)
                        + (source.isDir() ? entries.subtreeStats(c, source.path()).size() : 0);
                if (entries.usage(c, parent.userId()) + size > settings.storageCapacity()) {
                    throw FsErrors.storageLimitReached();
                }
            }
            entries.relocate(c, source, Optional.of(parent.uuid()), target,
                    req.newMetadata().isPresent() ? req.newMetadata() : source.metadata());
            Entry moved = entries.byUuid(c, source.uuid()).orElseThrow();
            ev.moved(moved, source.path().value());
            return new MoveResult(moved, overwritten, source.path().value(), List.copyOf(created));
        });
        deleteBlobs(garbage);
        ev.flush();
        return result;
    }

    /**
     * {@code /rename} (filesystem.md 3.10): a new name in the same folder; descendants' paths follow;
     * {@code modified} is unchanged.
     *
     * @throws ApiError {@code 400 immutable} ("Immutable: cannot rename.") for immutable entries, which the route
     *         writes in its own {@code {"error":{"message":...}}} shape
     */
    public RenameResult rename(FsUser user, NodeRef ref, String newName, ClientMetadata client) {
        String name = FsNames.validate(newName, settings.maxNameLength());
        FsEvents ev = events(user, client);
        RenameResult result = tx.write(c -> {
            ev.discard();
            Entry e = resolve(c, ref).orElseThrow(FsErrors::subjectDoesNotExist);
            if (e.isRoot()) {
                throw ApiError.of(400, "immutable", "Immutable: cannot rename.");
            }
            check(c, user, e, FsAccess.Mode.WRITE);
            if (e.immutable()) {
                throw ApiError.of(400, "immutable", "Immutable: cannot rename.");
            }
            e = lockForChange(c, e);
            Entry parent = parentOf(c, e);
            Entry self = e;
            Optional<Entry> taken = entries.child(c, parent, name).filter(x -> !x.uuid().equals(self.uuid()));
            if (taken.isPresent()) {
                throw FsErrors.itemWithSameNameExists(name);
            }
            FsPath target = e.path().parent().child(name);
            entries.relocate(c, e, e.parentUid(), target, e.metadata());
            Entry renamed = entries.byUuid(c, e.uuid()).orElseThrow();
            ev.renamed(renamed, e.path().value());
            return new RenameResult(renamed, e.path().value());
        });
        ev.flush();
        return result;
    }

    // ---------------------------------------------------------------------------------------------------------
    // copy

    private record CopyPlan(Entry source, Entry parent, String name, Optional<Entry> replaced) {}

    /**
     * {@code /copy} (filesystem.md 3.9, 6.5): new uuids, content copied inside the blob store first, then every
     * row inserted in one transaction; a failure removes the copied content.
     */
    public CopyResult copy(FsUser user, CopyRequest req) {
        // Content that disappeared while it was being copied belonged to an entry that was deleted or overwritten
        // meanwhile: take a new snapshot (which no longer has it, or names the new content) and copy again.
        for (int attempt = 1; ; attempt++) {
            try {
                return copyOnce(user, req, attempt < 5);
            } catch (ContentGone retry) {
                // next attempt
            }
        }
    }

    /** Thrown by {@link #copyOnce} when a source object vanished under it. */
    private static final class ContentGone extends RuntimeException {
        ContentGone() {
            super(null, null, false, false);
        }
    }

    private CopyResult copyOnce(FsUser user, CopyRequest req, boolean mayRetry) {
        if (req.overwrite() && req.dedupeName()) {
            throw FsErrors.overwriteAndDedupeExclusive();
        }
        if (req.destination() instanceof NodeRef.ByPath p && p.path().isRoot()) {
            throw FsErrors.cannotCopyToRoot();
        }
        // What to copy, checked as things are now; checked again when committing.
        record Snapshot(Entry source, List<Entry> descendants, Optional<FsPath> target) {}
        Snapshot snap = tx.read(c -> {
            Optional<CopyPlan> plan = planCopy(c, user, req, Optional.empty());
            Entry source = resolve(c, req.source()).orElseThrow(FsErrors::sourceDoesNotExist);
            return new Snapshot(source, source.isDir() ? entries.descendants(c, source.path()) : List.of(),
                    plan.map(p -> p.parent().path().child(p.name())));
        });
        Map<String, String> newUuids = new HashMap<>();
        newUuids.put(snap.source().uuid(), UUID.randomUUID().toString());
        snap.descendants().forEach(d -> newUuids.put(d.uuid(), UUID.randomUUID().toString()));
        List<String> copiedKeys = new ArrayList<>();
        List<Entry> all = new ArrayList<>();
        all.add(snap.source());
        all.addAll(snap.descendants());
        FsEvents progress = events(user, req.client());
        long total = all.stream().filter(e -> e.blobKey().isPresent()).mapToLong(e -> e.size().orElse(0L)).sum();
        long copied = 0;
        long reported = 0;
        long lastReport = System.nanoTime();
        try {
            for (Entry e : all) {
                if (e.blobKey().isPresent()) {
                    String key = newUuids.get(e.uuid());
                    store.copy(e.blobKey().get(), key);
                    copiedKeys.add(key);
                    copied += e.size().orElse(0L);
                    // Like an upload's: at most one event per interval, and one when the last content is copied.
                    boolean last = copied == total;
                    if (copied > reported && (last || System.nanoTime() - lastReport >= PROGRESS_INTERVAL.toNanos())) {
                        String relative = e.path().value().substring(snap.source().path().value().length());
                        String path = snap.target().map(t -> t.value() + relative).orElse(e.path().value());
                        progress.copyProgress(key, path, total, copied, copied - reported);
                        reported = copied;
                        lastReport = System.nanoTime();
                    }
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            deleteBlobs(copiedKeys);
            if (mayRetry) {
                throw new ContentGone();
            }
            throw new UncheckedIOException("copying content failed", e);
        } catch (IOException e) {
            deleteBlobs(copiedKeys);
            throw new UncheckedIOException("copying content failed", e);
        }
        FsEvents ev = events(user, req.client());
        List<String> garbage = new ArrayList<>();
        CopyResult result;
        try {
            result = tx.write(c -> {
                ev.discard();
                garbage.clear();
                List<Entry> created = new ArrayList<>();
                CopyPlan plan = planCopy(c, user, req, Optional.of(new Creation(created, ev))).orElseThrow();
                if (plan.replaced().isPresent()) {
                    Entry old = plan.replaced().get();
                    garbage.addAll(removeTree(c, old, false));
                    ev.removed(old, old.path().value(), false);
                }
                long now = now();
                Entry parent = plan.parent();
                FsPath rootPath = parent.path().child(plan.name());
                Map<String, FsPath> newPaths = new HashMap<>();
                Entry copiedRoot = null;
                for (Entry e : all) {
                    String newUuid = newUuids.get(e.uuid());
                    Optional<String> newParent;
                    FsPath path;
                    if (e == snap.source()) {
                        newParent = Optional.of(parent.uuid());
                        path = rootPath;
                    } else {
                        String p = e.parentUid().map(newUuids::get).orElse(null);
                        if (p == null || !newPaths.containsKey(p)) {
                            continue; // its parent changed meanwhile; not part of the copied tree any more
                        }
                        newParent = Optional.of(p);
                        path = newPaths.get(p).child(e.name());
                    }
                    Entry copy = entries.insert(c, new Entry(0, newUuid, newParent, parent.userId(), path.name(), path,
                            e.isDir(), false, e.isShortcut(), e.shortcutTo(), e.isSymlink(), e.symlinkPath(),
                            Optional.empty(), Optional.empty(), Optional.empty(), e.associatedAppId(), Optional.empty(),
                            Optional.empty(), Optional.empty(), Optional.empty(), e.thumbnail(), e.size(), now, now,
                            Optional.of(now), e.blobKey().map(k -> newUuid)));
                    newPaths.put(newUuid, path);
                    ev.pending(copy);
                    ev.created(copy);
                    if (copiedRoot == null) {
                        copiedRoot = copy;
                    }
                }
                return new CopyResult(copiedRoot, plan.replaced());
            });
        } catch (RuntimeException e) {
            deleteBlobs(copiedKeys);
            throw e;
        }
        deleteBlobs(garbage);
        ev.flush();
        return result;
    }

    private Optional<CopyPlan> planCopy(Connection c, FsUser user, CopyRequest req, Optional<Creation> creation)
            throws SQLException {
        Entry source = resolve(c, req.source()).orElseThrow(FsErrors::sourceDoesNotExist);
        if (source.isRoot() || !legacyOwner(user, source, false)) {
            throw FsErrors.forbidden();
        }
        check(c, user, source, FsAccess.Mode.READ);
        Optional<Entry> destination = resolve(c, req.destination());
        if (destination.isPresent() && destination.get().isRoot()) {
            throw FsErrors.cannotCopyToRoot();
        }
        Optional<Entry> conflict = Optional.empty();
        Entry parent;
        if (req.newName().isEmpty() && destination.isPresent() && !destination.get().isDir()) {
            conflict = destination;
            parent = parentOf(c, destination.get());
        } else if (destination.isEmpty()) {
            if (!(req.destination() instanceof NodeRef.ByPath byPath)) {
                throw FsErrors.destDoesNotExist();
            }
            if (creation.isEmpty()) {
                FsNames.validate(req.newName().orElse(source.name()), settings.maxNameLength());
                return Optional.empty();
            }
            parent = ensureDirectories(c, user, byPath.path(), creation.get().created(), creation.get().events());
        } else {
            parent = destination.get();
        }
        if (parent.isRoot()) {
            throw FsErrors.cannotCopyToRoot();
        }
        if (!parent.isDir()) {
            throw FsErrors.destIsNotADirectory();
        }
        if (!legacyOwner(user, parent, true)) {
            throw FsErrors.forbidden();
        }
        String name = FsNames.validate(req.newName().orElse(source.name()), settings.maxNameLength());
        FsEntries.SubtreeStats stats = source.isDir() ? entries.subtreeStats(c, source.path())
                : new FsEntries.SubtreeStats(0, 0, 0);
        if (settings.storageLimited()) {
            if (creation.isPresent()) {
                entries.lockUsage(c, parent.userId());
            }
            long size = stats.size() + source.size().orElse(0L);
            if (entries.usage(c, parent.userId()) + size > settings.storageCapacity()) {
                throw FsErrors.storageLimitReached();
            }
        }
        if (parent.uuid().equals(source.uuid())) {
            throw FsErrors.sourceAndDestAreTheSame();
        }
        if (parent.path().isWithin(source.path())) {
            throw FsErrors.cannotCopyItemIntoItself();
        }
        check(c, user, parent, FsAccess.Mode.WRITE);
        if (creation.isPresent()) {
            parent = relock(c, parent);
        }
        if (conflict.isEmpty()) {
            conflict = entries.child(c, parent, name);
        }
        Optional<Entry> replaced = Optional.empty();
        if (conflict.isPresent()) {
            Entry taken = conflict.get();
            if (req.dedupeName()) {
                name = freeName(c, parent, name, source.isDir());
            } else if (req.overwrite()) {
                if (taken.userId() != user.id()) {
                    throw FsErrors.forbidden();
                }
                if (taken.immutable()) {
                    throw FsErrors.immutable();
                }
                if (taken.uuid().equals(source.uuid())) {
                    throw FsErrors.sourceAndDestAreTheSame();
                }
                replaced = Optional.of(taken);
            } else {
                throw FsErrors.itemWithSameNameExists(taken.name());
            }
        }
        FsPath target = parent.path().child(name);
        int below = source.isDir() ? Math.max(0, stats.maxDepth() - source.path().depth()) : 0;
        if (target.depth() + below > MAX_DEPTH) {
            throw FsErrors.directoryDepthLimitExceeded(MAX_DEPTH, target.depth() + below);
        }
        return Optional.of(new CopyPlan(source, parent, name, replaced));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Shortcuts, symlinks, view preferences, thumbnails

    /**
     * Creates a shortcut to {@code target} in {@code parent} (filesystem.md 1.3): {@code /mkdir} and
     * {@code /write} with {@code shortcut_to}, batch {@code shortcut}. The shortcut copies the target's
     * {@code is_dir} and thumbnail and has no content.
     *
     * @param targetMustBeDirectory present for mkdir (true) and write (false); empty for batch, which takes either
     */
    public Entry shortcut(FsUser user, NodeRef parent, String name, NodeRef target, Optional<Boolean> targetMustBeDirectory,
                          boolean dedupeName, ClientMetadata client) {
        Entry to = tx.lookup(c -> resolve(c, target)).orElseThrow(FsErrors::shortcutToDoesNotExist);
        checkNow(user, to, FsAccess.Mode.READ);
        if (targetMustBeDirectory.isPresent() && targetMustBeDirectory.get() != to.isDir()) {
            throw to.isDir()
                    ? ApiError.of(422, "shortcut_target_is_a_directory", "Shortcut target is a directory; expected a file.")
                    : ApiError.of(422, "shortcut_target_is_not_a_directory",
                            "Shortcut target is not a directory; expected a directory.");
        }
        return createSpecial(user, parent, name, dedupeName, client, (dir, finalName, now) -> new Entry(0,
                UUID.randomUUID().toString(), Optional.of(dir.uuid()), dir.userId(), finalName, dir.path().child(finalName),
                to.isDir(), false, true, Optional.of(to.uuid()), false, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), to.thumbnail(), Optional.empty(), now, now, Optional.of(now), Optional.empty()));
    }

    /**
     * Creates a symlink (batch {@code symlink}, {@code puter.fs.symlink}): a row with {@code is_symlink = 1} and the
     * target path, which may dangle; no content.
     */
    public Entry symlink(FsUser user, NodeRef parent, String name, String target, ClientMetadata client) {
        if (name == null || name.isEmpty()) {
            throw ApiError.of(400, "field_empty", "Field `name` cannot be empty.").with("key", "name");
        }
        return createSpecial(user, parent, name, false, client, (dir, finalName, now) -> new Entry(0,
                UUID.randomUUID().toString(), Optional.of(dir.uuid()), dir.userId(), finalName, dir.path().child(finalName),
                false, false, false, Optional.empty(), true, Optional.of(target), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), now, now, Optional.of(now), Optional.empty()));
    }

    private interface Maker {
        Entry make(Entry parent, String name, long now);
    }

    private Entry createSpecial(FsUser user, NodeRef parentRef, String name, boolean dedupeName, ClientMetadata client,
                                Maker maker) {
        String valid = FsNames.validate(name, settings.maxNameLength());
        FsEvents ev = events(user, client);
        Entry made = tx.write(c -> {
            ev.discard();
            Entry parent = resolve(c, parentRef).orElseThrow(FsErrors::destDoesNotExist);
            if (parent.isRoot()) {
                throw FsErrors.cannotWriteToRoot();
            }
            if (!parent.isDir()) {
                throw FsErrors.destIsNotADirectory();
            }
            check(c, user, parent, FsAccess.Mode.WRITE);
            parent = relock(c, parent);
            String finalName = valid;
            Optional<Entry> taken = entries.child(c, parent, finalName);
            if (taken.isPresent()) {
                if (!dedupeName) {
                    throw FsErrors.itemWithSameNameExists(taken.get().name());
                }
                finalName = freeName(c, parent, finalName, false);
            }
            Entry e = entries.insert(c, maker.make(parent, finalName, now()));
            ev.created(e);
            return e;
        });
        ev.flush();
        return made;
    }

    /** {@code /set_layout}: the GUI's view of a directory the user owns ({@code icons}, {@code details}, {@code list}). */
    public Entry setLayout(FsUser user, NodeRef dirRef, String layout) {
        return updateView(user, dirRef, e -> new String[] {layout, e.sortBy().orElse(null), e.sortOrder().orElse(null)});
    }

    /** {@code /set_sort_by}: the GUI's sort order of a directory the user owns. */
    public Entry setSortBy(FsUser user, NodeRef dirRef, String sortBy, Optional<String> sortOrder) {
        return updateView(user, dirRef, e -> new String[] {e.layout().orElse(null), sortBy, sortOrder.orElse(null)});
    }

    private Entry updateView(FsUser user, NodeRef dirRef, java.util.function.Function<Entry, String[]> values) {
        return tx.write(c -> {
            Entry e = resolve(c, dirRef).orElseThrow(FsErrors::subjectDoesNotExist);
            if (e.isRoot() || e.userId() != user.id()) {
                throw FsErrors.forbidden();
            }
            if (!e.isDir()) {
                throw ApiError.badRequest("must be a directory");
            }
            String[] v = values.apply(e);
            entries.updateView(c, e.uuid(), Optional.ofNullable(v[0]), Optional.ofNullable(v[1]), Optional.ofNullable(v[2]));
            return entries.byUuid(c, e.uuid()).orElseThrow();
        });
    }

    /** {@code /update-fsentry-thumbnail}: sets (or, with an empty value, clears) a thumbnail; announces the update. */
    public Entry setThumbnail(FsUser user, NodeRef ref, Optional<String> thumbnail) {
        if (thumbnail.isPresent() && thumbnail.get().length() > MAX_THUMBNAIL_LENGTH) {
            throw ApiError.of(413, "thumbnail_too_large", "Thumbnail too large. Max size is " + MAX_THUMBNAIL_LENGTH
                    + " bytes.").with("max_size", MAX_THUMBNAIL_LENGTH);
        }
        FsEvents ev = events(user, ClientMetadata.NONE);
        Entry updated = tx.write(c -> {
            ev.discard();
            Entry e = resolve(c, ref).orElseThrow(FsErrors::subjectDoesNotExist);
            check(c, user, e, FsAccess.Mode.WRITE);
            entries.updateThumbnail(c, e.uuid(), thumbnail);
            Entry now = entries.byUuid(c, e.uuid()).orElseThrow();
            ev.written(now);
            return now;
        });
        ev.flush();
        return updated;
    }

    /**
     * The size {@code /stat} reports with {@code return_size}: a file's size, or for a directory the sum of the
     * sizes below it (empty when nothing below has a size).
     */
    public Optional<Long> sizeOf(Entry e) {
        if (!e.isDir()) {
            return e.size();
        }
        if (e.isRoot()) {
            return Optional.empty();
        }
        FsEntries.SubtreeStats stats = tx.read(c -> entries.subtreeStats(c, e.path()));
        return stats.count() == 0 ? Optional.empty() : Optional.of(stats.size());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    /** The events of one operation; their payloads say where shortcuts lead. */
    private FsEvents events(FsUser user, ClientMetadata client) {
        return new FsEvents(context.events(), user, client, this::describeShortcut);
    }

    /**
     * Adds where a shortcut leads to its serialized form (filesystem.md 2.7): {@code shortcut_to_path}, or, when the
     * target is gone, {@code shortcut_invalid: true} and {@code shortcut_uid}. Other entries are left as they are.
     */
    Map<String, Object> describeShortcut(Entry e, Map<String, Object> serialized) {
        if (!e.isShortcut()) {
            return serialized;
        }
        Optional<Entry> target = e.shortcutTo().flatMap(uid -> lookup(NodeRef.uid(uid)));
        if (target.isPresent()) {
            serialized.put("shortcut_to_path", target.get().path().value());
        } else {
            serialized.remove("shortcut_to_path");
            serialized.put("shortcut_invalid", true);
            serialized.put("shortcut_uid", e.shortcutTo().orElse(null));
        }
        return serialized;
    }

    private Optional<Entry> resolve(Connection c, NodeRef ref) throws SQLException {
        return switch (ref) {
            case NodeRef.ByUid u -> u.uid().equals(Entry.NIL_UUID) ? Optional.of(Entry.ROOT) : entries.byUuid(c, u.uid());
            case NodeRef.ByPath p -> p.path().isRoot() ? Optional.of(Entry.ROOT) : entries.byPath(c, p.path());
        };
    }

    private Entry parentOf(Connection c, Entry e) throws SQLException {
        return e.parentUid().isEmpty() ? Entry.ROOT
                : entries.byUuid(c, e.parentUid().get()).orElseThrow(FsErrors::subjectDoesNotExist);
    }

    /**
     * Locks an entry's ancestor chain against moves and renames (PostgreSQL) and reads the entry again, so that
     * paths computed from it stay right until the commit.
     */
    private Entry relock(Connection c, Entry e) throws SQLException {
        if (e.isRoot()) {
            return e;
        }
        FsPath locked = e.path();
        while (true) {
            entries.lockChain(c, locked);
            Entry now = entries.byUuid(c, e.uuid()).orElseThrow(FsErrors::subjectDoesNotExist);
            if (now.path().equals(locked)) {
                return now;
            }
            locked = now.path(); // moved before the lock was taken: lock where it is now
        }
    }

    /**
     * Locks an entry that this transaction changes (moves, renames, deletes, overwrites) for update, then its
     * ancestors against moves and renames, and reads it again. The exclusive lock comes first, so that two
     * changes of one entry queue instead of deadlocking over an upgrade from a shared lock.
     */
    private Entry lockForChange(Connection c, Entry e) throws SQLException {
        entries.lockRow(c, e.uuid());
        Entry now = entries.byUuid(c, e.uuid()).orElseThrow(FsErrors::subjectDoesNotExist);
        if (!now.path().parent().isRoot()) {
            relock(c, parentOf(c, now));
        }
        return entries.byUuid(c, e.uuid()).orElseThrow(FsErrors::subjectDoesNotExist);
    }

    /** The ACL check: 404 when the user may not even see the entry, 403 otherwise. */
    private void check(Connection c, FsUser user, Entry e, FsAccess.Mode mode) throws SQLException {
        check(new OnConnection(c), user, e, mode);
    }

    private void check(FsAccess.Reads database, FsUser user, Entry e, FsAccess.Mode mode) throws SQLException {
        if (e.isRoot()) {
            if (mode == FsAccess.Mode.WRITE) {
                throw FsErrors.forbidden();
            }
            return;
        }
        if (access.allows(user, e, mode, database)) {
            return;
        }
        throw access.allows(user, e, FsAccess.Mode.SEE, database) ? FsErrors.forbidden()
                : FsErrors.subjectDoesNotExist();
    }

    /** The access check's reads on a transaction's connection. */
    private record OnConnection(Connection c) implements FsAccess.Reads {
        @Override
        public <T> T run(FsAccess.Read<T> read) throws SQLException {
            return read.run(c);
        }
    }

    /** Whether the user (and the request's actor) may access the entry in {@code mode}: {@code writable}, /sign. */
    public boolean allows(FsUser user, Entry e, FsAccess.Mode mode) {
        try {
            checkNow(user, e, mode);
            return true;
        } catch (ApiError refused) {
            return false;
        }
    }

    /** The ACL check outside a transaction: a connection is taken only if the check reads the database. */
    private void checkNow(FsUser user, Entry e, FsAccess.Mode mode) {
        try {
            check(new FsAccess.Reads() {
                @Override
                public <T> T run(FsAccess.Read<T> read) {
                    return tx.read(read::run);
                }
            }, user, e, mode);
        } catch (SQLException failed) {
            throw new IllegalStateException("filesystem database error: " + failed.getMessage(), failed);
        }
    }

    /**
     * Upstream's legacy ownership check ({@code chkperm}, filesystem.md 1.10): the owner passes; others only for a
     * home directory and not for writing.
     */
    private static boolean legacyOwner(FsUser user, Entry e, boolean write) {
        return e.userId() == user.id() || (e.isHome() && !write);
    }

    /** The first {@code "<name> (n)"} (directories) or {@code "<base> (n)<ext>"} (files) not taken in the folder. */
    private String freeName(Connection c, Entry parent, String name, boolean directory) throws SQLException {
        for (int n = 1; ; n++) {
            String candidate = FsNames.dedupe(name, directory, n);
            if (entries.child(c, parent, candidate).isEmpty()) {
                return candidate;
            }
        }
    }

    private static Entry dir(String uuid, Optional<String> parentUid, long userId, FsPath path, boolean immutable,
                             long now) {
        return new Entry(0, uuid, parentUid, userId, path.name(), path, true, immutable, false, Optional.empty(), false,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), now, now, Optional.of(now), Optional.empty());
    }

    private void deleteBlobs(List<String> keys) {
        for (String key : keys) {
            try {
                store.delete(key);
            } catch (IOException | RuntimeException e) {
                log.warn("could not delete content {}: {}", key, e.toString());
            }
        }
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    /** The upload as the blob store reads it: stops with an API error once it passes a limit. */
    private static final class LimitedInput extends InputStream {
        private final InputStream in;
        private final long limit;
        private final ApiError error;
        private long count;

        LimitedInput(InputStream in, long limit, ApiError error) {
            this.in = in;
            this.limit = limit;
            this.error = error;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0 && ++count > limit) {
                throw error;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0 && (count += n) > limit) {
                throw error;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
