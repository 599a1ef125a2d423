package dev.hearth.fs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.hearth.core.AccountErrors;
import dev.hearth.core.HttpAuth;
import dev.hearth.core.Permissions;
import dev.hearth.core.User;
import dev.hearth.core.UserActor;
import dev.hearth.core.Users;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;
import dev.hearth.web.Request;
import dev.hearth.web.Response;
import tools.jackson.databind.JsonNode;

/**
 * The share routes puter.js 2.6.3 calls (client contract 4.5): {@code POST /share} with {@code recipients} as
 * {@code {username}|{email}} objects and {@code items} as {@code {path}|{uid}}, answered {@code {status, results}};
 * {@code POST /share/revoke}; {@code GET /share/shared-with-me}, {@code /share/shared-by-me} and
 * {@code /share/shares}. The grants are the same user→user {@code fs:} grants and pending email shares as the
 * legacy {@code /share}.
 *
 * <p>Result and listing rows: {@code {recipient, status, path, uid, mode, uid_entry, is_dir, issuer, holder,
 * created_at}} ({@code uid} is the pending share's uid for an address, else the entry's uid; {@code created_at} is an
 * ISO-8601 instant), with {@code message} and {@code code} on failed rows and {@code recipient_email} on pending ones.
 */
final class SharesV2 {

    private final Sharing sharing;
    private final Users users;
    private final Permissions permissions;

    SharesV2(Sharing sharing, Users users, Permissions permissions) {
        this.sharing = sharing;
        this.users = users;
        this.permissions = permissions;
    }

    /** A recipient as the SDK sends it: {@code {username}}, {@code {email}}, or a bare string. */
    private record To(String label, Optional<User> user, Optional<String> email, Optional<ApiError> error) {}

    private To recipient(JsonNode v) {
        String username = null;
        String email = null;
        if (v.isString()) {
            if (v.asString().contains("@")) {
                email = v.asString();
            } else {
                username = v.asString();
            }
        } else if (v.isObject()) {
            username = v.hasNonNull("username") ? v.get("username").asString() : null;
            email = v.hasNonNull("email") ? v.get("email").asString() : null;
        }
        if (username != null) {
            String u = username;
            return users.byUsername(u).map(x -> new To(u, Optional.of(x), Optional.empty(), Optional.empty()))
                    .orElseGet(() -> new To(u, Optional.empty(), Optional.empty(),
                            Optional.of(AccountErrors.userDoesNotExist(u))));
        }
        if (email != null) {
            String e = email;
            Optional<User> u = users.byEmail(e);
            return new To(e, u, u.isPresent() ? Optional.empty() : Optional.of(e), Optional.empty());
        }
        String label = v.isString() ? v.asString() : v.toString();
        return new To(label, Optional.empty(), Optional.empty(), Optional.of(v.isObject() && (v.has("team")
                || v.has("teamHandle")) ? ApiError.of(400, "not_supported", "Teams are not supported.")
                : ShareRoutes.invalidUsernameOrEmail(label)));
    }

    /** The entry an item names, which the caller may manage; else what is wrong with it. */
    private Object item(UserActor actor, JsonNode v, String mode) {
        Optional<Entry> entry = Optional.empty();
        if (v.isObject() && v.hasNonNull("uid") && v.get("uid").isString()) {
            entry = sharing.lookupUid(v.get("uid").asString());
        } else if (v.isObject() && v.hasNonNull("path") && v.get("path").isString()) {
            String p = v.get("path").asString();
            if (p.equals("~") || p.startsWith("~/")) {
                p = "/" + actor.user().username() + p.substring(1);
            }
            entry = sharing.lookup(p);
        } else if (v.isString()) {
            entry = sharing.lookup(v.asString());
        }
        if (entry.isEmpty() || entry.get().isRoot()) {
            return AccountErrors.subjectDoesNotExist();
        }
        String permission = Sharing.fsPermission(entry.get().uuid(), mode);
        if (!permissions.check(actor, permission.startsWith("manage:") ? permission : "manage:" + permission)) {
            return permissions.check(actor, Sharing.fsPermission(entry.get().uuid(), "see"))
                    ? ApiError.permissionDenied(permission) : AccountErrors.subjectDoesNotExist();
        }
        return entry.get();
    }

    private static List<JsonNode> list(JsonNode v) {
        List<JsonNode> out = new ArrayList<>();
        if (v == null || v.isNull() || v.isMissingNode()) {
            return out;
        }
        if (v.isArray()) {
            v.forEach(out::add);
        } else {
            out.add(v);
        }
        return out;
    }

    private static String mode(JsonNode body) {
        JsonNode m = body.get("mode");
        if (m == null || m.isNull()) {
            return "read";
        }
        if (!m.isString() || !List.of("read", "write").contains(m.asString())) {
            throw ApiError.fieldInvalid("mode", "`read` or `write`", null);
        }
        return m.asString();
    }

    private static Map<String, Object> row(String recipient, String status, Entry e, String uid, String mode,
            String issuer, String holder) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("recipient", recipient);
        r.put("status", status);
        r.put("path", e == null ? null : e.path().value());
        r.put("uid", uid);
        r.put("mode", mode);
        r.put("uid_entry", e == null ? null : e.uuid());
        r.put("is_dir", e == null ? null : e.isDir());
        r.put("issuer", issuer);
        r.put("holder", holder);
        r.put("created_at", Instant.now().toString());
        return r;
    }

    private static Map<String, Object> failed(String recipient, Entry e, String mode, String issuer, ApiError error) {
        Map<String, Object> r = row(recipient, "error", e, e == null ? null : e.uuid(), mode, issuer, null);
        r.put("message", error.getMessage());
        r.put("code", error.code());
        return r;
    }

    /** {@code POST /share} as 2.6.3 sends it. */
    void share(UserActor actor, User sharer, JsonNode body, Response res) {
        String mode = mode(body);
        List<JsonNode> recipientValues = list(body.get("recipients"));
        List<JsonNode> itemValues = list(body.get("items"));
        if (recipientValues.isEmpty()) {
            throw ApiError.fieldMissing("recipients");
        }
        if (itemValues.isEmpty()) {
            throw ApiError.fieldMissing("items");
        }
        List<Object> items = itemValues.stream().map(v -> item(actor, v, mode)).toList();
        List<Map<String, Object>> results = new ArrayList<>();
        for (JsonNode rv : recipientValues) {
            To to = recipient(rv);
            List<Entry> sharedWithThem = new ArrayList<>();
            for (Object item : items) {
                Entry e = item instanceof Entry x ? x : null;
                if (to.error().isPresent()) {
                    results.add(failed(to.label(), e, mode, sharer.username(), to.error().get()));
                } else if (item instanceof ApiError err) {
                    results.add(failed(to.label(), null, mode, sharer.username(), err));
                } else if (to.user().isPresent()) {
                    try {
                        sharing.setUserUser(actor, to.user().get(), e.uuid(), mode, false);
                        sharedWithThem.add(e);
                        results.add(row(to.label(), "success", e, e.uuid(), mode, sharer.username(),
                                to.user().get().username()));
                    } catch (ApiError err) {
                        results.add(failed(to.label(), e, mode, sharer.username(), err));
                    }
                } else {
                    String uid = sharing.storePending(sharer, to.email().get(),
                            List.of(Sharing.fsPermission(e.uuid(), mode)), Map.of());
                    Map<String, Object> r = row(to.label(), "pending", e, uid, mode, sharer.username(), null);
                    r.put("recipient_email", to.email().get());
                    results.add(r);
                }
            }
            if (!sharedWithThem.isEmpty()) {
                sharing.notifyShared(sharer, to.user().get(), Map.of(), sharedWithThem);
            }
        }
        long ok = results.stream().filter(r -> !r.get("status").equals("error")).count();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", ok == results.size() ? "success" : ok == 0 ? "aborted" : "mixed");
        out.put("results", results);
        res.json(out);
    }

    /** {@code POST /share/revoke}: takes back every mode the caller granted on the items to the recipients. */
    void revoke(Request req, Response res) {
        UserActor actor = HttpAuth.userActor();
        JsonNode body = req.jsonTree();
        if (body == null || !body.isObject()) {
            body = Json.mapper().createObjectNode();
        }
        List<JsonNode> recipientValues = list(body.get("recipients"));
        List<JsonNode> itemValues = list(body.get("items"));
        if (recipientValues.isEmpty()) {
            throw ApiError.fieldMissing("recipients");
        }
        if (itemValues.isEmpty()) {
            throw ApiError.fieldMissing("items");
        }
        int revoked = 0;
        List<Map<String, Object>> results = new ArrayList<>();
        for (JsonNode rv : recipientValues) {
            To to = recipient(rv);
            for (JsonNode iv : itemValues) {
                Object item = item(actor, iv, "read");
                Entry e = item instanceof Entry x ? x : null;
                if (to.error().isPresent() || item instanceof ApiError) {
                    ApiError err = to.error().orElseGet(() -> (ApiError) item);
                    results.add(failed(to.label(), e, null, actor.user().username(), err));
                    continue;
                }
                int n = to.user().isPresent() ? sharing.revokeAll(actor, to.user().get(), e.uuid())
                        : sharing.deletePending(actor.user().id(), to.email().get(), e.uuid());
                revoked += n;
                results.add(row(to.label(), n > 0 ? "success" : "not_found", e, e.uuid(), null,
                        actor.user().username(), to.user().map(User::username).orElse(null)));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("revoked", revoked);
        out.put("results", results);
        res.json(out);
    }

    /** {@code GET /share/shared-with-me}: the entries others granted to the caller, newest first. */
    void sharedWithMe(Request req, Response res) {
        UserActor actor = HttpAuth.userActor();
        page(req, res, sharing.grants(false, actor.user().id(), Optional.empty()));
    }

    /** {@code GET /share/shared-by-me}: the caller's grants to others and pending email shares. */
    void sharedByMe(Request req, Response res) {
        UserActor actor = HttpAuth.userActor();
        List<Map<String, Object>> rows = new ArrayList<>(sharing.grants(true, actor.user().id(), Optional.empty()));
        rows.addAll(sharing.pendingRows(actor.user().id(), Optional.empty()));
        page(req, res, rows);
    }

    /** {@code GET /share/shares?uid=|path=}: who the caller shared that entry with. */
    void shares(Request req, Response res) {
        UserActor actor = HttpAuth.userActor();
        String uid = req.queryParams().get("uid");
        String path = req.queryParams().get("path");
        Optional<Entry> e = uid != null ? sharing.lookupUid(uid) : path != null ? sharing.lookup(
                path.equals("~") || path.startsWith("~/") ? "/" + actor.user().username() + path.substring(1) : path)
                : Optional.empty();
        if (uid == null && path == null) {
            throw ApiError.fieldMissing("uid");
        }
        if (e.isEmpty() || e.get().isRoot() || !permissions.check(actor, "fs:" + e.get().uuid() + ":see")) {
            throw AccountErrors.subjectDoesNotExist();
        }
        List<Map<String, Object>> rows = new ArrayList<>(sharing.grants(true, actor.user().id(),
                Optional.of(e.get().uuid())));
        rows.addAll(sharing.pendingRows(actor.user().id(), Optional.of(e.get().uuid())));
        res.json(Map.of("items", rows));
    }

    private static void page(Request req, Response res, List<Map<String, Object>> rows) {
        int limit = parse(req.queryParams().get("limit"), 0);
        int offset = 0;
        String cursor = req.queryParams().get("cursor");
        if (cursor != null && !cursor.isEmpty()) {
            try {
                offset = Integer.parseInt(new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException bad) {
                throw ApiError.fieldInvalid("cursor", "a cursor of this listing", null);
            }
        }
        int end = limit > 0 ? Math.min(rows.size(), offset + limit) : rows.size();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", offset >= rows.size() ? List.of() : rows.subList(offset, end));
        if (end < rows.size()) {
            out.put("cursor", Base64.getEncoder().encodeToString(Integer.toString(end).getBytes(StandardCharsets.UTF_8)));
        }
        if ("true".equals(req.queryParams().get("includeTotal"))) {
            out.put("total", rows.size());
        }
        res.json(out);
    }

    private static int parse(String s, int otherwise) {
        try {
            return s == null ? otherwise : Math.max(0, Integer.parseInt(s));
        } catch (NumberFormatException bad) {
            throw ApiError.fieldInvalid("limit", "a number", null);
        }
    }
}
