package dev.hearth.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hearth.core.Database;
import dev.hearth.fs.PendingUploads.Part;
import dev.hearth.fs.PendingUploads.State;
import dev.hearth.fs.PendingUploads.Upload;
import dev.hearth.fs.spi.BlobStore;
import dev.hearth.fs.spi.DirectUploads;
import dev.hearth.fs.spi.FsAccess;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Context;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.WebServer;

/**
 * The {@code signed-writes} service: puter.js 2.6.3's signed batch-write flow (puterjs-client-contract.md 5.3-5.7)
 * on top of the {@link Filesystem}. A start plans every item of a request (access with the request's actor,
 * collisions with the names reserved earlier in the same request, quota with the uploads in flight), creates the
 * directories, records one pending upload per file and hands out upload URLs; a completion turns the uploaded bytes
 * into an entry in one transaction with the record's change of state.
 *
 * <p>Where the bytes go: a blob store that implements {@link DirectUploads} (S3) presigns its own URLs; otherwise
 * Hearth presigns URLs to its own route, {@code PUT /fs/upload/<id>?part=<n>&exp=<ms>&sig=<hmac>}, with an
 * HMAC-SHA-256 (key derived from {@code url_signature_secret}) over the upload, the part number, the part's exact
 * length and the expiry: no cookie or token is involved, and a URL is good for that one part of that one upload.
 *
 * <p>Nothing a client uploads is ever written over a live entry's content: every {@code PUT} to Hearth's route goes to a
 * fresh key, recorded once complete; a completion assembles the parts into a fresh key (a stream of the stored
 * parts, in bounded memory), or adopts a single part's key, and the entry switches to it at the commit. Presigned
 * store URLs stay valid until they expire, so a single object uploaded that way is copied to a fresh key at the
 * completion (the one the client can still write to is then garbage, deleted again when the record is purged).
 *
 * <p>Expired uploads are marked failed (on the next request that names them, or by the sweeper every
 * {@code sweep_interval_seconds}), and their staged bytes deleted.
 */
final class SignedWrites implements Service {

    private static final Logger log = LoggerFactory.getLogger(SignedWrites.class);

    /** Upstream's limit of items per request. */
    static final int MAX_ITEMS = 500;
    static final Duration DEFAULT_TTL = Duration.ofSeconds(900);
    /** S3's smallest part (every part but the last). */
    static final long MIN_DIRECT_PART = 5L << 20;
    /** How long a completion may take to assemble and commit before the sweeper gives up on it. */
    static final Duration COMPLETION_GRACE = Duration.ofHours(1);
    /** How long ended records are kept, so that late requests get {@code 409} rather than {@code 404}. */
    static final Duration RETENTION = Duration.ofDays(1);

    private final ServiceContext context;
    private final SignedWriteSettings settings;
    private final FilesystemSettings fsSettings;
    private volatile Filesystem fs;
    private volatile Tx tx;
    private volatile PendingUploads uploads;
    private volatile FsEntries entries;
    private volatile BlobStore store;
    private volatile Optional<DirectUploads> direct = Optional.empty();
    private volatile byte[] uploadKey;
    private volatile ScheduledExecutorService sweeper;

    SignedWrites(ServiceContext context) {
        this.context = context;
        this.settings = context.config().bind("services.filesystem.signed_writes", SignedWriteSettings.class);
        this.fsSettings = context.config().bind("services.filesystem", FilesystemSettings.class);
    }

    @Override
    public void init() throws GeneralSecurityException {
        fs = context.services().get(Filesystem.class);
        Database db = context.services().get(Database.class);
        tx = new Tx(db.jdbi(), db.dataSource());
        uploads = new PendingUploads(db.dialect());
        entries = new FsEntries(db.dialect());
        byte[] secret = context.config().string("url_signature_secret")
                .orElseThrow(() -> new IllegalStateException("url_signature_secret is not configured"))
                .getBytes(StandardCharsets.UTF_8);
        // A key of its own, derived from the secret: upload signatures can never pass for /file signatures.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        uploadKey = mac.doFinal("hearth fs-upload v1".getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void activate() {
        store = fs.blobStore();
        direct = store instanceof DirectUploads d ? Optional.of(d) : Optional.empty();
        if (settings.sweepIntervalSeconds() > 0) {
            sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("fs-upload-sweep").factory());
            sweeper.scheduleWithFixedDelay(() -> {
                try {
                    sweep();
                } catch (RuntimeException e) {
                    log.warn("sweeping expired uploads failed: {}", e.toString());
                }
            }, settings.sweepIntervalSeconds(), settings.sweepIntervalSeconds(), TimeUnit.SECONDS);
        }
    }

    @Override
    public void shutdown() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    boolean enabled() {
        return settings.enabled();
    }

    private BlobStore store() {
        if (store == null) {
            store = fs.blobStore();
            direct = store instanceof DirectUploads d ? Optional.of(d) : Optional.empty();
        }
        return store;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Requests, as the routes parse them

    /** The GUI metadata a client sends so that it recognises the events it caused. */
    record Gui(Optional<String> operationId, Optional<String> itemUploadId, Optional<String> socketId,
               Optional<String> originalSocketId) {
        static final Gui NONE = new Gui(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        ClientMetadata client() {
            return new ClientMetadata(socketId, operationId, itemUploadId);
        }

        Gui or(Gui other) {
            return new Gui(operationId.or(other::operationId), itemUploadId.or(other::itemUploadId),
                    socketId.or(other::socketId), originalSocketId.or(other::originalSocketId));
        }

        Map<String, Object> snake() {
            Map<String, Object> m = new LinkedHashMap<>();
            originalSocketId.ifPresent(v -> m.put("original_client_socket_id", v));
            socketId.ifPresent(v -> m.put("socket_id", v));
            operationId.ifPresent(v -> m.put("operation_id", v));
            itemUploadId.ifPresent(v -> m.put("item_upload_id", v));
            return m;
        }

        String toJson() {
            return Json.mapper().writeValueAsString(snake());
        }

        static Gui fromJson(Optional<String> json) {
            if (json.isEmpty()) {
                return NONE;
            }
            var n = Json.mapper().readTree(json.get());
            java.util.function.Function<String, Optional<String>> s = k -> n.has(k) && n.get(k).isString()
                    ? Optional.of(n.get(k).asString()) : Optional.empty();
            return new Gui(s.apply("operation_id"), s.apply("item_upload_id"), s.apply("socket_id"),
                    s.apply("original_client_socket_id"));
        }
    }

    /** One item of a start request. */
    record StartItem(FsPath path, boolean directory, long size, String contentType, boolean overwrite,
                     boolean dedupeName, boolean createParents, boolean multipart, Optional<Long> partSize,
                     Optional<Long> expiresInSeconds, Gui gui) {}

    /** One item of a completion request. */
    record CompleteItem(String uploadId, List<DirectUploads.UploadedPart> parts, Optional<String> thumbnail, Gui gui) {}

    // ---------------------------------------------------------------------------------------------------------
    // Start

    private sealed interface Plan {}

    private record DirPlan(StartItem item) implements Plan {}

    private record FilePlan(StartItem item, FsPath target, String entryUuid, long ownerId) implements Plan {}

    /** {@code /fs/startBatchWrite} (and {@code /fs/startWrite} with one item): one response element per item. */
    List<Map<String, Object>> start(FsUser user, List<StartItem> items) {
        if (items.size() > MAX_ITEMS) {
            throw ApiError.badRequest("At most " + MAX_ITEMS + " items per request.");
        }
        // Plan every item before changing anything: a request refused for its tenth item creates nothing.
        Set<FsPath> dirs = new HashSet<>();
        Set<FsPath> files = new HashSet<>();
        Map<Long, Long> bytes = new HashMap<>();
        Map<Long, Long> credits = new HashMap<>();
        List<Plan> plans = new ArrayList<>();
        for (StartItem item : items) {
            FsPath path = item.path();
            if (item.directory()) {
                if (!dirs.add(path) || files.contains(path)) {
                    throw ApiError.of(409, "conflict", "Duplicate path in request: " + FsErrors.quot(path.value()) + ".");
                }
                Optional<Entry> existing = fs.lookup(NodeRef.path(path));
                if (existing.isPresent()) {
                    requireAccess(user, existing.get(), FsAccess.Mode.READ);
                    if (!existing.get().isDir()) {
                        throw FsErrors.itemWithSameNameExists(existing.get().name());
                    }
                } else {
                    requireAccess(user, anchor(user, path.parent(), item.createParents(), dirs), FsAccess.Mode.WRITE);
                }
                plans.add(new DirPlan(item));
                continue;
            }
            if (item.size() > fsSettings.maxFileSize()) {
                throw FsErrors.fileTooLarge(fsSettings.maxFileSize());
            }
            FsPath parentPath = path.parent();
            Entry anchor = anchor(user, parentPath, item.createParents(), dirs);
            String name = FsNames.validate(path.name(), fsSettings.maxNameLength());
            Optional<Entry> existing = anchor.path().equals(parentPath) ? fs.lookup(NodeRef.path(path)) : Optional.empty();
            boolean replacing = existing.isPresent() && item.overwrite() && !item.dedupeName();
            requireAccess(user, replacing ? existing.get() : anchor, FsAccess.Mode.WRITE);
            FsPath target = path;
            Optional<Entry> replaced = Optional.empty();
            if (existing.isPresent() || files.contains(path) || dirs.contains(path)) {
                boolean isDirectory = dirs.contains(path) || existing.map(Entry::isDir).orElse(false);
                if (item.dedupeName()) {
                    for (int n = 1; taken(target, files, dirs); n++) {
                        target = parentPath.child(FsNames.dedupe(name, false, n));
                    }
                } else if (isDirectory) {
                    throw ApiError.of(409, "cannot_overwrite_a_directory", "Cannot overwrite a directory.");
                } else if (!item.overwrite()) {
                    throw FsErrors.itemWithSameNameExists(name);
                } else if (files.contains(path)) {
                    throw ApiError.of(409, "conflict", "The request writes " + FsErrors.quot(path.value()) + " twice.");
                } else {
                    if (existing.get().immutable()) {
                        throw FsErrors.immutable();
                    }
                    replaced = existing;
                }
            }
            files.add(target);
            long owner = anchor.userId();
            bytes.merge(owner, item.size(), Long::sum);
            replaced.flatMap(Entry::size).ifPresent(s -> credits.merge(owner, s, Long::sum));
            plans.add(new FilePlan(item, target, replaced.map(Entry::uuid).orElseGet(() -> UUID.randomUUID().toString()),
                    owner));
        }

        long now = System.currentTimeMillis();
        // Quota first (413 is the answer puter.js turns into an upgrade prompt), checked again under the lock below.
        tx.read(c -> {
            checkQuota(c, bytes, credits, now);
            return null;
        });
        // Multipart uploads in the object store start before the records that name them.
        List<Upload> records = new ArrayList<>();
        for (Plan p : plans) {
            if (p instanceof FilePlan f) {
                records.add(record(user, f, now));
            }
        }
        try {
            tx.write(c -> {
                for (long owner : bytes.keySet()) {
                    entries.lockUsage(c, owner);
                }
                checkQuota(c, bytes, credits, now);
                for (Upload u : records) {
                    uploads.insert(c, u);
                }
                return null;
            });
        } catch (RuntimeException e) {
            records.forEach(this::abandonDirect);
            throw e;
        }

        List<Map<String, Object>> out = new ArrayList<>();
        Map<FsPath, Upload> byPath = new HashMap<>();
        records.forEach(u -> byPath.put(u.targetPath(), u));
        for (Plan p : plans) {
            switch (p) {
                case DirPlan d -> out.add(directory(user, d.item()));
                case FilePlan f -> {
                    Upload u = byPath.get(f.target());
                    out.add(fileElement(u, f.item()));
                    pendingEvent(user, u, f.item().gui());
                }
            }
        }
        return out;
    }

    /** The owners' usage, plus what their uploads in flight reserve, plus this request, must fit their capacity. */
    private void checkQuota(java.sql.Connection c, Map<Long, Long> bytes, Map<Long, Long> credits, long now)
            throws java.sql.SQLException {
        if (!fsSettings.storageLimited()) {
            return;
        }
        for (Map.Entry<Long, Long> b : bytes.entrySet()) {
            long owner = b.getKey();
            long wouldBe = entries.usage(c, owner) + uploads.reserved(c, owner, now) + b.getValue()
                    - credits.getOrDefault(owner, 0L);
            if (wouldBe > fsSettings.storageCapacity()) {
                throw storageLimitReached();
            }
        }
    }

    /** Whether {@code p} is taken: a name reserved earlier in this request, or an existing entry. */
    private boolean taken(FsPath p, Set<FsPath> files, Set<FsPath> dirs) {
        return files.contains(p) || dirs.contains(p) || fs.lookup(NodeRef.path(p)).isPresent();
    }

    /**
     * The directory a new item goes into, or (when it is missing and may be created) its nearest existing
     * ancestor, whose owner and access then decide.
     */
    private Entry anchor(FsUser user, FsPath dir, boolean createParents, Set<FsPath> plannedDirs) {
        Optional<Entry> found = fs.lookup(NodeRef.path(dir));
        if (found.isEmpty() && !createParents && !plannedDirs.contains(dir)) {
            throw ApiError.of(404, "dest_does_not_exist", "Parent path does not exist: " + FsErrors.quot(dir.value())
                    + ".");
        }
        FsPath p = dir;
        while (found.isEmpty() && !p.isRoot()) {
            p = p.parent();
            found = fs.lookup(NodeRef.path(p));
        }
        Entry e = found.orElse(Entry.ROOT);
        if (e.isRoot()) {
            throw cannotWriteToRoot();
        }
        if (!e.isDir()) {
            requireAccess(user, e, FsAccess.Mode.SEE);
            throw FsErrors.destIsNotADirectory();
        }
        return e;
    }

    /** 404 when the actor may not even see the entry (its existence stays hidden), else 403. */
    private void requireAccess(FsUser user, Entry e, FsAccess.Mode mode) {
        if (!fs.allows(user, e, mode)) {
            throw fs.allows(user, e, FsAccess.Mode.SEE) ? ApiError.of(403, "access_denied", "Permission denied.")
                    : FsErrors.subjectDoesNotExist();
        }
    }

    static ApiError cannotWriteToRoot() {
        return ApiError.of(400, "cannot_write_to_root", "Cannot write an item to the root directory.");
    }

    static ApiError storageLimitReached() {
        return ApiError.of(413, "storage_limit_reached", "Storage capacity limit reached.");
    }

    private Upload record(FsUser user, FilePlan f, long now) {
        StartItem item = f.item();
        long ttl = Math.clamp(item.expiresInSeconds().orElse(DEFAULT_TTL.toSeconds()), 60, 3600);
        boolean multipart = item.size() > settings.singleUploadLimit() || item.multipart();
        long partSize = item.size();
        int partCount = 1;
        if (multipart) {
            partSize = Math.max(settings.singleUploadLimit(), item.partSize().filter(s -> s > 0).orElse(settings.partSize()));
            if (direct().isPresent()) {
                partSize = Math.max(partSize, MIN_DIRECT_PART);
            }
            long count = Math.max(1, (item.size() + partSize - 1) / partSize);
            if (count > 10_000) {
                throw ApiError.badRequest("Too many parts: " + count + " (at most 10000); use bigger parts.");
            }
            partCount = (int) count;
        }
        String id = UUID.randomUUID().toString();
        Optional<String> stagedKey = Optional.empty();
        Optional<String> multipartId = Optional.empty();
        if (direct().isPresent()) {
            stagedKey = Optional.of("up-" + id);
            if (multipart) {
                try {
                    multipartId = Optional.of(direct().get().startMultipart(stagedKey.get(), item.contentType()));
                } catch (IOException e) {
                    log.warn("starting a multipart upload failed: {}", e.toString());
                    throw ApiError.of(503, "upload_unavailable", "The storage could not start the upload.");
                }
            }
        }
        return new Upload(id, user.id(), f.ownerId(), f.target(), f.entryUuid(), item.overwrite(), item.dedupeName(),
                item.createParents(), item.contentType(), item.size(), multipart, partSize, partCount,
                direct().isPresent(), stagedKey, multipartId, Optional.empty(), Optional.of(item.gui().toJson()),
                State.PENDING, now, now + ttl * 1000);
    }

    private Optional<DirectUploads> direct() {
        store();
        return direct;
    }

    /** Gives an object store's multipart upload up, when a start failed after beginning it. */
    private void abandonDirect(Upload u) {
        if (u.multipartUploadId().isPresent() && direct().isPresent()) {
            try {
                direct().get().abortMultipart(u.stagedKey().orElseThrow(), u.multipartUploadId().get());
            } catch (IOException | RuntimeException e) {
                log.warn("could not abort multipart upload of {}: {}", u.id(), e.toString());
            }
        }
    }

    private Map<String, Object> directory(FsUser user, StartItem item) {
        MkdirResult r = withSocket(item.gui(), () -> fs.mkdir(user, new MkdirRequest(Optional.empty(),
                item.path().value(), false, false, true, item.gui().client())));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sessionId", "");
        m.put("uploadMode", "single");
        m.put("contentType", "inode/directory");
        m.put("expiresAt", System.currentTimeMillis());
        m.put("directoryCreated", !r.existing());
        m.put("fsEntry", entry(r.entry(), user));
        return m;
    }

    private Map<String, Object> fileElement(Upload u, StartItem item) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sessionId", u.id());
        m.put("uploadMode", u.multipart() ? "multipart" : "single");
        // Hearth's own route stores bytes, not types (a type is the name's): a neutral type keeps any body a stream
        // (a JSON type would be parsed by the request pipeline, which looks for an auth_token in JSON bodies).
        m.put("contentType", u.direct() ? u.contentType() : "application/octet-stream");
        m.put("expiresAt", u.expiresAt());
        if (u.multipart()) {
            m.put("multipartUploadId", u.multipartUploadId().orElse(u.id()));
            m.put("multipartPartSize", u.partSize());
            m.put("multipartPartCount", u.partCount());
            List<Map<String, Object>> urls = new ArrayList<>();
            for (int n = 1; n <= u.partCount(); n++) {
                urls.add(partUrl(u, n));
            }
            m.put("multipartPartUrls", urls);
        } else {
            m.put("url", url(u, 1));
        }
        return m;
    }

    private Map<String, Object> partUrl(Upload u, int n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("partNumber", n);
        m.put("url", url(u, n));
        return m;
    }

    /** The URL that takes part {@code n} of an upload (part 1 of a single upload is the whole file). */
    private String url(Upload u, int n) {
        if (u.direct()) {
            Duration ttl = Duration.ofMillis(Math.max(1000, u.expiresAt() - System.currentTimeMillis()));
            try {
                DirectUploads d = direct().orElseThrow();
                return (u.multipart()
                        ? d.presignPart(u.stagedKey().orElseThrow(), u.multipartUploadId().orElseThrow(), n,
                                u.partLength(n), ttl)
                        : d.presignPut(u.stagedKey().orElseThrow(), u.declaredSize(), u.contentType(), ttl)).toString();
            } catch (IOException e) {
                log.warn("presigning failed: {}", e.toString());
                throw ApiError.of(503, "upload_unavailable", "The storage could not sign the upload.");
            }
        }
        String base = context.services().find(WebServer.class).map(w -> w.urls().apiBaseUrl()).orElse("");
        return base + "/fs/upload/" + u.id() + "?part=" + n + "&exp=" + u.expiresAt() + "&sig="
                + signature(u.id(), n, u.partLength(n), u.expiresAt());
    }

    String signature(String uploadId, int part, long length, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(uploadKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((uploadId + "/" + part + "/" + length + "/" + expires)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code item.pending} (5.10): the file that is coming, before its bytes. */
    private void pendingEvent(FsUser user, Upload u, Gui gui) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", u.entryUuid());
        payload.put("uid", u.entryUuid());
        payload.put("uuid", u.entryUuid());
        payload.put("path", u.targetPath().value());
        payload.put("dirname", u.targetPath().parent().value());
        payload.put("name", u.targetPath().name());
        payload.put("is_dir", false);
        payload.put("content_type", u.contentType());
        payload.put("size", u.declaredSize());
        payload.put("upload_id", u.id());
        payload.put("pending_upload", true);
        payload.put("status", "pending");
        payload.putAll(gui.snake());
        payload.put("from_new_service", true);
        List<Long> users = u.ownerId() == user.id() ? List.of(user.id()) : List.of(user.id(), u.ownerId());
        emit("item.pending", users, payload);
        Map<String, Object> cache = new LinkedHashMap<>();
        cache.put("timestamp", System.currentTimeMillis());
        cache.put("original_client_socket_id", gui.originalSocketId().orElse(null));
        emit("cache.updated", users, cache);
    }

    private void emit(String event, List<Long> users, Map<String, Object> response) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("user_id_list", users);
        data.put("response", response);
        context.events().emit("outer.gui." + event, data);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Lookups every later step makes

    /** The upload, if it is this user's and still pending; an expired one is failed on the spot. */
    private Upload pendingOf(FsUser user, String uploadId) {
        Upload u = tx.read(c -> uploads.find(c, uploadId)).orElseThrow(() -> notFound(uploadId));
        if (u.userId() != user.id()) {
            throw ApiError.of(403, "forbidden", "This upload belongs to someone else.");
        }
        if (u.state() != State.PENDING) {
            throw notPending(u);
        }
        if (u.expiresAt() <= System.currentTimeMillis()) {
            fail(u, State.PENDING);
            throw ApiError.of(400, "session_required", "The upload session has expired; start the upload again.");
        }
        return u;
    }

    private static ApiError notFound(String uploadId) {
        return ApiError.of(404, "not_found", "Upload " + FsErrors.quot(uploadId) + " was not found.");
    }

    private static ApiError notPending(Upload u) {
        return ApiError.of(409, "conflict", "The upload is not pending (it is " + u.state().db() + ").");
    }

    /** Moves an upload from {@code from} to failed and deletes its staged bytes, if no one else changed it first. */
    private boolean fail(Upload u, State from) {
        return end(u, from, State.FAILED);
    }

    private boolean end(Upload u, State from, State to) {
        // expires_at becomes "kept until": an ended record is purged a while after both its end and its URLs' expiry.
        long keep = Math.max(u.expiresAt(), System.currentTimeMillis());
        boolean won = tx.write(c -> uploads.transition(c, u.id(), from, to, Optional.empty(), Optional.of(keep)));
        if (won) {
            discardStaged(u);
        }
        return won;
    }

    /** Deletes whatever an upload that did not complete left in the store. */
    private void discardStaged(Upload u) {
        List<Part> parts = tx.write(c -> {
            List<Part> p = uploads.parts(c, u.id());
            uploads.deleteParts(c, u.id());
            return p;
        });
        List<String> keys = new ArrayList<>();
        parts.forEach(p -> keys.add(p.blobKey()));
        Optional<Upload> now = tx.read(c -> uploads.find(c, u.id()));
        now.flatMap(Upload::finalKey).ifPresent(keys::add);
        if (u.direct()) {
            if (u.multipart()) {
                abandonDirect(u);
            }
            u.stagedKey().ifPresent(keys::add);
        }
        deleteBlobs(keys);
    }

    private void deleteBlobs(List<String> keys) {
        for (String key : new HashSet<>(keys)) {
            try {
                store().delete(key);
            } catch (IOException | RuntimeException e) {
                log.warn("could not delete staged content {}: {}", key, e.toString());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Upload route (Hearth's own target)

    /** The result of a part's {@code PUT}: the ETag the client reports at the completion. */
    record Received(String etag) {}

    /**
     * {@code PUT /fs/upload/<id>?part=&exp=&sig=}: checks the signature (bound to the upload, the part, its exact
     * length and the expiry) and streams the body to a fresh key, recorded as the part once complete.
     */
    Received receivePart(String uploadId, Optional<String> partParam, Optional<String> expParam,
                         Optional<String> sigParam, java.util.OptionalLong contentLength, InputStream body) {
        if (partParam.isEmpty() || expParam.isEmpty() || sigParam.isEmpty()) {
            throw ApiError.of(403, "signature_invalid", "`part`, `exp` and `sig` are required.");
        }
        int part = decimal(partParam.get(), 5).map(Long::intValue)
                .orElseThrow(() -> ApiError.of(403, "signature_invalid", "The signature does not match."));
        long exp = decimal(expParam.get(), 18)
                .orElseThrow(() -> ApiError.of(403, "signature_invalid", "The signature does not match."));
        Upload u = tx.read(c -> uploads.find(c, uploadId)).orElseThrow(() -> notFound(uploadId));
        if (u.direct() || part < 1 || part > u.partCount() || !MessageDigest.isEqual(
                signature(u.id(), part, u.partLength(part), exp).getBytes(StandardCharsets.UTF_8),
                sigParam.get().getBytes(StandardCharsets.UTF_8))) {
            throw ApiError.of(403, "signature_invalid", "The signature does not match.");
        }
        long now = System.currentTimeMillis();
        if (exp <= now || u.expiresAt() <= now) {
            throw ApiError.of(403, "signature_expired", "The upload URL has expired.");
        }
        if (u.state() != State.PENDING) {
            throw notPending(u);
        }
        long length = u.partLength(part);
        if (contentLength.isPresent() && contentLength.getAsLong() != length) {
            throw lengthMismatch(length, contentLength.getAsLong());
        }
        String key = "up-" + UUID.randomUUID();
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(body, md5)) {
            store().write(key, in, length);
        } catch (BlobStore.LengthMismatchException e) {
            throw lengthMismatch(length, e.actual());
        } catch (IOException e) {
            deleteBlobs(List.of(key));
            log.warn("upload of part {} of {} failed: {}", part, uploadId, e.toString());
            throw FsErrors.uploadFailed();
        }
        String etag = "\"" + HexFormat.of().formatHex(md5.digest()) + "\"";
        Optional<String> replaced;
        try {
            replaced = tx.write(c -> uploads.recordPart(c, uploadId, new Part(part, key, length, etag)));
        } catch (IllegalStateException notPendingAnyMore) {
            deleteBlobs(List.of(key));
            throw ApiError.of(409, "conflict", "The upload is not pending any more.");
        }
        replaced.filter(k -> !k.equals(key)).ifPresent(k -> deleteBlobs(List.of(k)));
        return new Received(etag);
    }

    private static ApiError lengthMismatch(long expected, long actual) {
        return ApiError.of(400, "size_mismatch", "Expected exactly " + expected + " bytes"
                + (actual < 0 ? ", received more." : ", received " + actual + "."));
    }

    private static Optional<Long> decimal(String s, int maxDigits) {
        if (s.isEmpty() || s.length() > maxDigits || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(s));
    }

    // ---------------------------------------------------------------------------------------------------------
    // signMultipartParts, abort

    /** {@code /fs/signMultipartParts}. */
    Map<String, Object> signParts(FsUser user, String uploadId, List<Integer> partNumbers) {
        Upload u = pendingOf(user, uploadId);
        if (!u.multipart()) {
            throw ApiError.badRequest("The upload is not a multipart upload.");
        }
        List<Map<String, Object>> urls = new ArrayList<>();
        for (int n : partNumbers) {
            if (n < 1 || n > u.partCount()) {
                throw ApiError.badRequest("Part number " + n + " is not between 1 and " + u.partCount() + ".");
            }
            urls.add(partUrl(u, n));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uploadId", u.id());
        m.put("multipartUploadId", u.multipartUploadId().orElse(u.id()));
        m.put("expiresAt", u.expiresAt());
        m.put("multipartPartUrls", urls);
        return m;
    }

    /** {@code /fs/abortWrite}: the upload ends and its staged bytes go. */
    void abort(FsUser user, String uploadId) {
        Upload u = tx.read(c -> uploads.find(c, uploadId)).orElseThrow(() -> notFound(uploadId));
        if (u.userId() != user.id()) {
            throw ApiError.of(403, "forbidden", "This upload belongs to someone else.");
        }
        if (u.state() != State.PENDING || !end(u, State.PENDING, State.ABORTED)) {
            throw notPending(tx.read(c -> uploads.find(c, uploadId)).orElse(u));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Completion

    /** {@code /fs/completeWrite} and one item of {@code /fs/completeBatchWrite}. */
    Map<String, Object> complete(FsUser user, CompleteItem item) {
        if (item.thumbnail().filter(t -> t.startsWith("data:")).isPresent()) {
            throw ApiError.badRequest("Inline thumbnails are not accepted here; upload the thumbnail instead.");
        }
        Optional<Map<String, Object>> again = completedBefore(user, item);
        if (again.isPresent()) {
            return again.get();
        }
        Upload u = pendingOf(user, item.uploadId());
        if (u.multipart() && item.parts().isEmpty()) {
            throw ApiError.badRequest("`parts` is required to complete a multipart upload.");
        }
        List<Part> received = u.direct() ? List.of() : tx.read(c -> uploads.parts(c, u.id()));
        if (!u.direct()) {
            checkParts(u, received, item.parts());
        }
        String finalKey = u.direct() && u.multipart() ? u.stagedKey().orElseThrow()
                : !u.direct() && !u.multipart() ? received.getFirst().blobKey() : "up-" + UUID.randomUUID();
        long graceUntil = System.currentTimeMillis() + COMPLETION_GRACE.toMillis();
        if (!tx.write(c -> uploads.transition(c, u.id(), State.PENDING, State.COMPLETING, Optional.of(finalKey),
                Optional.of(graceUntil)))) {
            throw notPending(tx.read(c -> uploads.find(c, u.id())).orElse(u));
        }
        Upload completing = u.withState(State.COMPLETING);
        Gui gui = item.gui().or(Gui.fromJson(u.guiMetadata()));
        // A new file takes the uuid announced in item.pending; a file that turns out to be replaced keeps its own.
        String newUuid = fs.lookup(NodeRef.uid(u.entryUuid())).isPresent() ? UUID.randomUUID().toString()
                : u.entryUuid();
        Entry entry;
        try {
            long size = assemble(completing, received, item.parts(), finalKey);
            if (size != u.declaredSize()) {
                throw lengthMismatch(u.declaredSize(), size);
            }
            String name = u.targetPath().name();
            WriteRequest req = new WriteRequest(NodeRef.path(u.targetPath().parent()), Optional.of(name),
                    Optional.empty(), size, u.overwrite(), u.dedupeName(), u.createParents(), item.thumbnail(),
                    Optional.empty(), gui.client());
            entry = withSocket(gui, () -> fs.commitStaged(user, req, newUuid, finalKey, size, c -> {
                if (!uploads.transition(c, u.id(), State.COMPLETING, State.COMPLETED, Optional.empty(),
                        Optional.empty())) {
                    throw ApiError.of(409, "conflict", "The upload expired while it was being completed.");
                }
                uploads.deleteParts(c, u.id());
                return null;
            }));
        } catch (ApiError e) {
            fail(completing, State.COMPLETING);
            throw "storage_limit_reached".equals(e.code()) ? storageLimitReached() : e;
        } catch (RuntimeException e) {
            fail(completing, State.COMPLETING);
            throw e;
        }
        // The committed entry owns finalKey now; what staged the bytes goes.
        List<String> garbage = new ArrayList<>();
        received.stream().map(Part::blobKey).filter(k -> !k.equals(finalKey)).forEach(garbage::add);
        if (u.direct() && !u.multipart()) {
            garbage.add(u.stagedKey().orElseThrow());
        }
        deleteBlobs(garbage);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sessionId", u.id());
        m.put("wasOverwrite", !entry.uuid().equals(newUuid));
        item.thumbnail().ifPresent(t -> m.put("requestedThumbnail", t));
        m.put("fsEntry", entry(entry, user));
        return m;
    }

    /**
     * A completion of an upload this user completed already answers with its entry again: puter.js completes item by
     * item after a batch completion failed, including the items the batch did complete.
     */
    private Optional<Map<String, Object>> completedBefore(FsUser user, CompleteItem item) {
        Optional<Upload> known = tx.read(c -> uploads.find(c, item.uploadId()));
        if (known.isEmpty() || known.get().state() != State.COMPLETED || known.get().userId() != user.id()) {
            return Optional.empty();
        }
        Upload u = known.get();
        return fs.lookup(NodeRef.uid(u.entryUuid())).filter(e -> fs.allows(user, e, FsAccess.Mode.READ)).map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sessionId", u.id());
            m.put("wasOverwrite", e.created() != e.modified());
            item.thumbnail().ifPresent(t -> m.put("requestedThumbnail", t));
            m.put("fsEntry", entry(e, user));
            return m;
        });
    }

    /** The parts the client names must be exactly the ones received, with the ETags this route answered. */
    private static void checkParts(Upload u, List<Part> received, List<DirectUploads.UploadedPart> claimed) {
        if (received.size() != u.partCount()) {
            throw ApiError.badRequest("The upload is incomplete: " + received.size() + " of " + u.partCount()
                    + " parts received.");
        }
        if (!u.multipart()) {
            return;
        }
        if (claimed.size() != u.partCount()) {
            throw ApiError.badRequest("Expected " + u.partCount() + " parts, got " + claimed.size() + ".");
        }
        Map<Integer, String> etags = new HashMap<>();
        received.forEach(p -> etags.put(p.number(), unquote(p.etag())));
        Set<Integer> seen = new HashSet<>();
        for (DirectUploads.UploadedPart p : claimed) {
            if (!seen.add(p.partNumber()) || !unquote(p.etag()).equals(etags.get(p.partNumber()))) {
                throw ApiError.badRequest("Part " + p.partNumber() + " does not match the part received.");
            }
        }
    }

    private static String unquote(String etag) {
        String t = etag == null ? "" : etag.strip();
        if (t.startsWith("W/")) {
            t = t.substring(2);
        }
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    /** Puts the uploaded bytes under {@code finalKey}; returns their real length. */
    private long assemble(Upload u, List<Part> received, List<DirectUploads.UploadedPart> claimed, String finalKey) {
        try {
            if (u.direct()) {
                DirectUploads d = direct().orElseThrow(() -> new IllegalStateException(
                        "the upload was made to an object store this instance does not use"));
                // The store, not Hearth, received the PUTs: what the client did not upload, or names wrongly, shows
                // here, and is the client's mistake (400) as on Hearth's own route, not the store's failure.
                if (u.multipart()) {
                    List<DirectUploads.UploadedPart> sorted = new ArrayList<>(claimed);
                    sorted.sort(java.util.Comparator.comparingInt(DirectUploads.UploadedPart::partNumber));
                    try {
                        d.completeMultipart(u.stagedKey().orElseThrow(), u.multipartUploadId().orElseThrow(), sorted);
                    } catch (DirectUploads.PartsRejectedException e) {
                        log.debug("upload {}: {}", u.id(), e.getMessage());
                        throw ApiError.badRequest("The parts do not match the parts received.");
                    }
                } else {
                    try {
                        store().copy(u.stagedKey().orElseThrow(), finalKey);
                    } catch (java.nio.file.NoSuchFileException e) {
                        throw ApiError.badRequest("The upload is incomplete: 0 of 1 parts received.");
                    }
                }
                return store().size(finalKey).orElseThrow(() -> ApiError.badRequest("Nothing was uploaded."));
            }
            if (!u.multipart()) {
                return received.getFirst().size();
            }
            // The parts in order, each opened when the previous one is used up: one stream, bounded memory.
            java.util.Iterator<Part> it = received.iterator();
            java.util.Enumeration<InputStream> streams = new java.util.Enumeration<>() {
                @Override
                public boolean hasMoreElements() {
                    return it.hasNext();
                }

                @Override
                public InputStream nextElement() {
                    Part p = it.next();
                    try {
                        return store().open(p.blobKey(), 0, p.size());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
            try (InputStream all = new SequenceInputStream(streams)) {
                return store().write(finalKey, all, u.declaredSize());
            }
        } catch (BlobStore.LengthMismatchException e) {
            throw lengthMismatch(u.declaredSize(), e.actual());
        } catch (IOException | UncheckedIOException e) {
            log.warn("assembling upload {} failed: {}", u.id(), e.toString());
            throw FsErrors.uploadFailed();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sweeping

    /** Fails expired uploads (deleting their staged bytes) and forgets long-ended ones. Returns how many expired. */
    int sweep() {
        long now = System.currentTimeMillis();
        int failed = 0;
        for (Upload u : tx.read(c -> uploads.expired(c, now, 100))) {
            if (fail(u, u.state())) {
                failed++;
            }
        }
        for (Upload u : tx.read(c -> uploads.ended(c, now - RETENTION.toMillis(), 100))) {
            if (u.direct() && !u.multipart()) {
                // Its presigned URL has expired by now: whatever a late PUT left there can go for good.
                deleteBlobs(u.stagedKey().stream().toList());
            }
            tx.write(c -> {
                uploads.delete(c, u.id());
                return null;
            });
        }
        if (failed > 0) {
            log.debug("marked {} expired uploads failed", failed);
        }
        return failed;
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The v2 entry of 5.13 with the v1 field names added (5.8); where the names coincide, v2's value stays. */
    static Map<String, Object> entry(Entry e, FsUser viewer) {
        Map<String, Object> m = FsJson.v2(e);
        SafeEntry.of(e, viewer, true).forEach(m::putIfAbsent);
        return m;
    }

    private interface Op<T> {
        T run();
    }

    /** Runs {@code op} with the client's socket id as the request's {@code original_client_socket_id}. */
    private static <T> T withSocket(Gui gui, Op<T> op) {
        if (gui.originalSocketId().isEmpty()) {
            return op.run();
        }
        return Context.current().orElseGet(Context::create).withSocketId(gui.originalSocketId().get()).call(op::run);
    }

    /** For tests: the staged keys of an upload that did not complete yet. */
    List<String> stagedKeys(String uploadId) {
        List<String> keys = new ArrayList<>(tx.read(c -> uploads.parts(c, uploadId)).stream().map(Part::blobKey).toList());
        tx.read(c -> uploads.find(c, uploadId)).flatMap(Upload::stagedKey).ifPresent(keys::add);
        return Collections.unmodifiableList(keys);
    }
}
