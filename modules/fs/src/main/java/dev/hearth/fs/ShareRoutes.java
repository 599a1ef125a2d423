package dev.hearth.fs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;


import dev.hearth.core.EdgeLimits;
import dev.hearth.core.EmailMessage;
import dev.hearth.core.AccountErrors;
import dev.hearth.core.HttpAuth;
import dev.hearth.core.Permissions;
import dev.hearth.core.User;
import dev.hearth.core.UserActor;
import dev.hearth.core.Tokens;
import dev.hearth.core.Users;
import dev.hearth.core.spi.AppDirectory;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Json;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.HttpService;
import dev.hearth.web.Request;
import dev.hearth.web.Response;
import dev.hearth.web.Router;
import dev.hearth.web.WebServer;
import tools.jackson.databind.JsonNode;

/**
 * The {@code share-routes} service: {@code POST /share} (accounts spec 3.12), sharing files (and apps) with users by
 * username or email address, with Hearth's fixes: the {@code share} rate-limit scope (30 per minute), a
 * {@code "success"} status when every item succeeded, success reports for email recipients, unknown apps as per-item
 * errors, and the actual type in {@code disallowed_thing}.
 *
 * <p>Emails: Hearth has no mailer of its own, so the two share emails ({@code share_by_username} to a recipient whose
 * address is confirmed, {@code share_by_email} with the share link {@code <origin>?share_token=<token>}) are emitted
 * as {@link EmailMessage} events for the email service to send.
 */
final class ShareRoutes implements Service, HttpService {

    /** Hearth's {@code share} edge limit: 30 per minute per client address. */
    static final EdgeLimits.Scope LIMIT = new EdgeLimits.Scope("share", 30, Duration.ofMinutes(1));
    static final List<String> ACCEPTED = List.of("fs-share", "app-share");
    private static final Pattern USERNAME = Pattern.compile("^\\w+$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private final ServiceContext context;
    private volatile Sharing sharing;
    private volatile Users users;
    private volatile Permissions permissions;
    private volatile Tokens tokens;
    private volatile EdgeLimits limits;

    ShareRoutes(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        sharing = context.services().get(Sharing.class);
        users = context.services().get(Users.class);
        permissions = context.services().get(Permissions.class);
        tokens = context.services().get(Tokens.class);
        limits = context.services().get(EdgeLimits.class);
    }

    private SharesV2 v2() {
        return new SharesV2(sharing, users, permissions);
    }

    /** The purpose of share tokens, which carry {@code {$:'token:share', $v:'0.0.0', uid}} and last 14 days. */
    static final String TOKEN_PURPOSE = "token:share";
    static final Duration TOKEN_TTL = Duration.ofDays(14);

    /** The token of a share link ({@code ?share_token=}): what an email to the recipient would carry. */
    String shareToken(String shareUid) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("$", TOKEN_PURPOSE);
        claims.put("$v", "0.0.0");
        claims.put("uid", shareUid);
        return tokens.issuePurpose(TOKEN_PURPOSE, claims, TOKEN_TTL);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Share links (3.12.1)

    static ApiError invalidToken() {
        return ApiError.of(400, "invalid_token", "Invalid token");
    }

    static ApiError shareExpired() {
        return ApiError.of(422, "share_expired", "This share is expired.");
    }

    private static String required(Request req, String key) {
        JsonNode body = req.jsonTree();
        JsonNode v = body == null ? null : body.get(key);
        if (v == null || v.isNull() || (v.isString() && v.asString().isEmpty())) {
            throw ApiError.fieldMissing(key);
        }
        if (!v.isString()) {
            throw ApiError.fieldInvalid(key, "a string", null);
        }
        return v.asString();
    }

    /** {@code POST /sharelink/check}: no authentication; a bad, expired or spent token is {@code invalid_token}. */
    void check(Request req, Response res) {
        String token = required(req, "token");
        Map<String, Object> claims = tokens.verifyPurpose(token, TOKEN_PURPOSE).orElseThrow(ShareRoutes::invalidToken);
        if (!TOKEN_PURPOSE.equals(claims.get("$")) || !(claims.get("uid") instanceof String uid)) {
            throw invalidToken();
        }
        Sharing.PendingShare share = sharing.pending(uid).orElseThrow(ShareRoutes::invalidToken);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("$", "api:share");
        out.put("uid", share.uid());
        out.put("email", share.recipientEmail());
        res.json(out);
    }

    /** {@code POST /sharelink/apply}: the recipient, email confirmed, takes the share. */
    void apply(Request req, Response res) {
        String uid = required(req, "uid");
        Sharing.PendingShare share = sharing.pending(uid).orElseThrow(ShareRoutes::shareExpired);
        User caller = users.byId(HttpAuth.userActor().user().id()).orElseThrow(AccountErrors::userNotFound);
        if (!caller.emailConfirmed()) {
            throw AccountErrors.emailMustBeConfirmed("apply a share");
        }
        if (!caller.email().map(e -> e.equalsIgnoreCase(share.recipientEmail())).orElse(false)) {
            throw ApiError.of(422, "can_not_apply_to_this_user", "This share can not be applied to this user.");
        }
        User issuer = users.byId(share.issuerUserId()).orElseThrow(ShareRoutes::shareExpired);
        sharing.apply(share, issuer, caller);
        res.json(success());
    }

    /** {@code POST /sharelink/request}: someone else than the recipient asks the issuer for the share. */
    void request(Request req, Response res) {
        String uid = required(req, "uid");
        Sharing.PendingShare share = sharing.pending(uid).orElseThrow(ShareRoutes::shareExpired);
        User caller = users.byId(HttpAuth.userActor().user().id()).orElseThrow(AccountErrors::userNotFound);
        if (caller.emailConfirmed() && caller.email().map(e -> e.equalsIgnoreCase(share.recipientEmail())).orElse(false)) {
            throw ApiError.of(422, "no_need_to_request",
                    "This share is already valid for this user; POST to /apply for access.");
        }
        User issuer = users.byId(share.issuerUserId()).orElseThrow(ShareRoutes::shareExpired);
        sharing.notifyRequested(issuer, caller, share);
        res.json(success());
    }

    @Override
    public void routes(Router router) {
        router.api().post("/share", this::share);
        router.api().post("/share/revoke", HttpAuth.userOnly((req, res) -> v2().revoke(req, res)));
        router.api().get("/share/shared-with-me", HttpAuth.userOnly((req, res) -> v2().sharedWithMe(req, res)));
        router.api().get("/share/shared-by-me", HttpAuth.userOnly((req, res) -> v2().sharedByMe(req, res)));
        router.api().get("/share/shares", HttpAuth.userOnly((req, res) -> v2().shares(req, res)));
        router.api().post("/sharelink/check", this::check);
        router.api().post("/sharelink/apply", HttpAuth.userOnly(this::apply));
        router.api().post("/sharelink/request", HttpAuth.userOnly(this::request));
    }

    // ---------------------------------------------------------------------------------------------------------
    // The request's parts

    /** A recipient: a user, an address with no account, or what was wrong with it. */
    private record Recipient(Optional<User> user, Optional<String> email, Optional<ApiError> error) {}

    /** A share: the permissions it grants, the entry it names (fs-share), or what was wrong with it. */
    private record Share(List<String> grants, Optional<Entry> entry, Optional<ApiError> error) {}

    private record Tagged(String type, JsonNode body) {}

    void share(Request req, Response res) {
        if (limits.refused(LIMIT, req, res)) {
            return;
        }
        UserActor actor = HttpAuth.userActor();
        User sharer = users.byId(actor.user().id()).orElseThrow(AccountErrors::userNotFound);
        if (!sharer.emailConfirmed()) {
            throw AccountErrors.emailMustBeConfirmed("share something");
        }
        JsonNode body = req.jsonTree();
        if (body == null || !body.isObject()) {
            body = Json.mapper().createObjectNode();
        }
        if (body.has("items") && !body.has("shares")) {
            v2().share(actor, sharer, body, res);
            return;
        }
        Map<String, Object> metadata = metadata(body.get("metadata"));
        JsonNode modeNode = body.get("mode");
        boolean strict = false;
        if (modeNode != null && !modeNode.isNull()) {
            if (!modeNode.isString() || !List.of("strict", "best-effort").contains(modeNode.asString())) {
                throw ApiError.fieldInvalid("mode", "`strict`, `best-effort`, or undefined", null);
            }
            strict = modeNode.asString().equals("strict");
        }
        List<JsonNode> recipientValues = listOf(body.get("recipients"), true);
        if (recipientValues == null || recipientValues.isEmpty()) {
            throw ApiError.fieldInvalid("recipients", "an array or string", null);
        }
        List<JsonNode> shareValues = listOf(body.get("shares"), false);
        if (shareValues == null || shareValues.isEmpty()) {
            throw ApiError.fieldInvalid("shares", "an array or object", null);
        }
        boolean dryRun = FilesystemRoutes.truthy(body, "dry_run");

        List<Recipient> recipients = new ArrayList<>();
        for (JsonNode v : recipientValues) {
            recipients.add(recipient(v));
        }
        List<Share> shares = new ArrayList<>();
        for (int i = 0; i < shareValues.size(); i++) {
            shares.add(share(actor, sharer, i, tagged(shareValues.get(i))));
        }

        List<Object> recipientReports = new ArrayList<>();
        List<Object> shareReports = new ArrayList<>();
        boolean anyError = false;
        for (Recipient r : recipients) {
            recipientReports.add(r.error().<Object>map(ShareRoutes::serialized).orElse(null));
            anyError |= r.error().isPresent();
        }
        for (Share s : shares) {
            shareReports.add(s.error().<Object>map(ShareRoutes::serialized).orElseGet(ShareRoutes::shareSuccess));
            anyError |= s.error().isPresent();
        }
        if (strict && anyError) {
            res.status(218).json(result("aborted", recipientReports, shareReports, false));
            return;
        }
        List<Share> valid = shares.stream().filter(s -> s.error().isEmpty()).toList();
        List<String> grants = valid.stream().flatMap(s -> s.grants().stream()).toList();
        List<Entry> files = valid.stream().flatMap(s -> s.entry().stream()).toList();
        for (int i = 0; i < recipients.size(); i++) {
            Recipient r = recipients.get(i);
            if (r.error().isPresent()) {
                continue;
            }
            if (dryRun) {
                recipientReports.set(i, success());
                continue;
            }
            try {
                if (r.user().isPresent()) {
                    User holder = r.user().get();
                    for (String permission : grants) {
                        sharing.grant(actor, holder, permission);
                    }
                    if (!files.isEmpty()) {
                        sharing.notifyShared(sharer, holder, metadata, files);
                    }
                    if (holder.emailConfirmed() && holder.email().isPresent()) {
                        email("share_by_username", holder.email().get(), sharer, metadata, origin());
                    }
                } else {
                    String uid = sharing.storePending(sharer, r.email().get(), grants, metadata);
                    email("share_by_email", r.email().get(), sharer, metadata,
                            origin() + "?share_token=" + shareToken(uid));
                }
                recipientReports.set(i, success());
            } catch (ApiError e) {
                recipientReports.set(i, serialized(e));
                anyError = true;
            }
        }
        res.json(result(anyError ? "mixed" : "success", recipientReports, shareReports, dryRun));
    }

    private void email(String template, String to, User sharer, Map<String, Object> metadata, String link) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("username", sharer.username());
        if (metadata.get("message") != null) {
            fields.put("message", metadata.get("message"));
        }
        fields.put("link", link);
        context.events().emit(EmailMessage.EVENT, new EmailMessage(to, template, fields));
    }

    private String origin() {
        return context.services().find(WebServer.class).map(w -> w.urls().origin()).orElse("");
    }

    private static Map<String, Object> result(String status, List<Object> recipients, List<Object> shares,
            boolean dryRun) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("$", "api:share");
        out.put("$version", "v0.0.0");
        out.put("status", status);
        if (dryRun) {
            out.put("dry_run", true);
        }
        out.put("recipients", recipients);
        out.put("shares", shares);
        return out;
    }

    private static Map<String, Object> success() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("$", "api:status-report");
        m.put("status", "success");
        return m;
    }

    private static Map<String, Object> shareSuccess() {
        Map<String, Object> m = success();
        m.put("fields", Map.of());
        return m;
    }

    /** An error as {@code /share} reports it per item: its fields, {@code code}, {@code $}, {@code message}, {@code status}. */
    static Map<String, Object> serialized(ApiError e) {
        Map<String, Object> m = new LinkedHashMap<>(e.fields());
        m.put("code", e.code());
        m.put("$", "heyputer:api/APIError");
        m.put("message", e.getMessage());
        m.put("status", e.status());
        return m;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Validation

    /** {@code metadata}: absent, or an object of at most 20 strings (≤ 255 characters) and numbers. */
    static Map<String, Object> metadata(JsonNode m) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (m == null || m.isNull() || m.isMissingNode()) {
            return out;
        }
        if (!m.isObject() || m.size() > 20) {
            throw ApiError.fieldInvalid("metadata", "an object with at most 20 keys", null);
        }
        for (Map.Entry<String, JsonNode> e : m.properties()) {
            JsonNode v = e.getValue();
            if (e.getKey().equals("message")) {
                if (!v.isString() || v.asString().length() > 10240) {
                    throw ApiError.fieldInvalid("metadata.message", "a string of at most 10240 characters", null);
                }
                out.put("message", v.asString());
            } else if (v.isString()) {
                if (v.asString().length() > 255) {
                    throw ApiError.fieldInvalid("metadata." + e.getKey(), "a string of at most 255 characters", null);
                }
                out.put(e.getKey(), v.asString());
            } else if (v.isNumber()) {
                out.put(e.getKey(), v.numberValue());
            } else {
                throw ApiError.fieldInvalid("metadata." + e.getKey(), "a string or a number", null);
            }
        }
        return out;
    }

    /** A value or array of values: {@code recipients} takes a string, {@code shares} an object; else {@code null}. */
    private static List<JsonNode> listOf(JsonNode v, boolean stringAlone) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        List<JsonNode> out = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(out::add);
        } else if (stringAlone ? v.isString() : v.isObject()) {
            out.add(v);
        } else {
            return null;
        }
        return out;
    }

    private Recipient recipient(JsonNode v) {
        if (!v.isString()) {
            return new Recipient(Optional.empty(), Optional.empty(), Optional.of(invalidUsernameOrEmail(v.toString())));
        }
        String s = v.asString();
        if (USERNAME.matcher(s).matches()) {
            Optional<User> u = users.byUsername(s);
            return u.isPresent() ? new Recipient(u, Optional.empty(), Optional.empty())
                    : new Recipient(Optional.empty(), Optional.empty(), Optional.of(AccountErrors.userDoesNotExist(s)));
        }
        if (EMAIL.matcher(s).matches()) {
            Optional<User> u = users.byEmail(s);
            return u.isPresent() ? new Recipient(u, Optional.empty(), Optional.empty())
                    : new Recipient(Optional.empty(), Optional.of(s), Optional.empty());
        }
        return new Recipient(Optional.empty(), Optional.empty(), Optional.of(invalidUsernameOrEmail(s)));
    }

    static ApiError invalidUsernameOrEmail(String value) {
        return ApiError.of(400, "invalid_username_or_email",
                "The value `" + value + "` is not a valid username or email.").with("value", value);
    }

    /** The three spellings of a type-tagged value (3.12). */
    static Tagged tagged(JsonNode v) {
        Tagged t;
        if (v.isArray()) {
            if (v.size() < 1 || v.size() > 3) {
                throw formatError("tag-typed arrays should have 1-3 elements");
            }
            JsonNode body = v.size() > 1 ? v.get(1) : Json.mapper().createObjectNode();
            t = new Tagged(v.get(0).isString() ? v.get(0).asString() : v.get(0).toString(), body);
        } else if (v.isObject()) {
            JsonNode tag = v.get("$");
            if (tag == null || tag.isNull()) {
                throw formatError("type parameter is missing");
            }
            if (tag.isString() && tag.asString().equals("$meta-body")) {
                JsonNode type = v.get("type");
                if (type == null || type.isNull()) {
                    throw formatError("missing \"type\" property");
                }
                JsonNode body = v.get("body");
                t = new Tagged(type.isString() ? type.asString() : type.toString(),
                        body == null ? Json.mapper().createObjectNode() : body);
            } else {
                t = new Tagged(tag.isString() ? tag.asString() : tag.toString(), v);
            }
        } else {
            throw formatError("should be object or array");
        }
        if (!ACCEPTED.contains(t.type())) {
            throw ApiError.of(400, "disallowed_thing", "Request contained a `" + t.type()
                            + "` in a place where `" + t.type() + "` isn't accepted; accepted types are: `fs-share`,"
                            + " `app-share`.")
                    .with("thing", t.type()).with("accepted", ACCEPTED);
        }
        return t;
    }

    static ApiError formatError(String message) {
        return ApiError.of(400, "format_error", "format error: " + message);
    }

    static ApiError fieldErrors(String key, List<String> errors) {
        return ApiError.of(400, "field_errors", "The value for `" + key + "` has the following errors: "
                + String.join("; ", errors)).with("key", key).with("errors", errors);
    }

    private Share share(UserActor actor, User sharer, int i, Tagged t) {
        JsonNode b = t.body() != null && t.body().isObject() ? t.body() : Json.mapper().createObjectNode();
        String key = "shares[" + i + "]";
        JsonNode accessNode = b.get("access");
        String access = accessNode == null || accessNode.isNull() ? "read"
                : accessNode.isString() ? accessNode.asString() : accessNode.toString();
        if (t.type().equals("fs-share")) {
            List<String> errors = new ArrayList<>();
            JsonNode path = b.get("path");
            if (path == null || path.isNull() || !path.isString() || path.asString().isEmpty()) {
                errors.add("`path` is required");
            }
            if (!List.of("read", "write", "manage").contains(access)) {
                errors.add("`access` should be `read` or `write`");
            }
            if (!errors.isEmpty()) {
                throw fieldErrors(key, errors);
            }
            String p = path.asString();
            if (p.equals("~") || p.startsWith("~/")) {
                p = "/" + sharer.username() + p.substring(1);
            }
            Optional<Entry> entry = sharing.lookup(p);
            if (entry.isEmpty() || entry.get().isRoot()) {
                return new Share(List.of(), Optional.empty(), Optional.of(AccountErrors.subjectDoesNotExist()));
            }
            String permission = Sharing.fsPermission(entry.get().uuid(), access);
            String manage = permission.startsWith("manage:") ? permission : "manage:" + permission;
            if (!permissions.check(actor, manage)) {
                // What the sharer cannot see is as if it did not exist.
                ApiError e = permissions.check(actor, Sharing.fsPermission(entry.get().uuid(), "see"))
                        ? ApiError.permissionDenied(permission) : AccountErrors.subjectDoesNotExist();
                return new Share(List.of(), Optional.empty(), Optional.of(e));
            }
            return new Share(List.of(permission), entry, Optional.empty());
        }
        // app-share
        JsonNode uid = b.get("uid");
        JsonNode name = b.get("name");
        if ((uid == null || !uid.isString()) && (name == null || !name.isString())) {
            throw fieldErrors(key, List.of("`uid` or `name` is required"));
        }
        Optional<AppDirectory> apps = context.services().find(AppDirectory.class);
        String identifier = uid != null && uid.isString() ? uid.asString() : name.asString();
        Optional<AppDirectory.App> app = apps.flatMap(d -> uid != null && uid.isString() ? d.appByUid(uid.asString())
                : Optional.empty());
        if (app.isEmpty()) {
            return new Share(List.of(), Optional.empty(), Optional.of(AccountErrors.entityNotFound("app:" + identifier)));
        }
        String permission = "app:uid#" + app.get().uid() + ":" + access;
        if (!permissions.check(actor, "manage:" + permission)) {
            return new Share(List.of(), Optional.empty(), Optional.of(ApiError.permissionDenied(permission)));
        }
        return new Share(List.of(permission), Optional.empty(), Optional.empty());
    }
}
