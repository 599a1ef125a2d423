package dev.hearth.hosting;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.hearth.core.Actor;
import dev.hearth.core.Authenticator;
import dev.hearth.core.HttpAuth;
import dev.hearth.core.Permissions;
import dev.hearth.core.TokenClaims;
import dev.hearth.core.Tokens;
import dev.hearth.core.User;
import dev.hearth.core.UserActor;
import dev.hearth.core.Users;
import dev.hearth.fs.Entry;
import dev.hearth.fs.FileContent;
import dev.hearth.fs.Filesystem;
import dev.hearth.fs.FsPath;
import dev.hearth.fs.FsUser;
import dev.hearth.fs.MediaTypes;
import dev.hearth.fs.NodeRef;
import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;
import dev.hearth.web.ByteSource;
import dev.hearth.web.HttpService;
import dev.hearth.web.PublicUrls;
import dev.hearth.web.Request;
import dev.hearth.web.Response;
import dev.hearth.web.Router;
import dev.hearth.web.WebServer;

/**
 * The {@code puter-site} service: answers requests for hosted sites from their root folders (spec 5.3–5.6).
 *
 * <p>Where a site is reached: on its own host {@code <name>.site.<domain>} (or {@code <name>.app.<domain>}; the site is
 * the first DNS label), or in single-origin mode on the sites port, where the first path segment names it
 * ({@code http://127.0.0.1:4101/<name>/...}). Either way the site's scripts never run on the API's origin, and the web
 * module runs no platform middleware for these requests, so API cookies and tokens never act for a site.
 *
 * <p>What is served: the file at the path inside the root folder, read with the owner's rights (a site shows what its
 * owner could read; a symbolic link out of the root is not followed) and without recording an access (a visit is not
 * a write); {@code index.html} for a folder path ending in
 * {@code /}, a redirect to add the {@code /} otherwise; no listings. Errors go through {@code .puter_site_config},
 * then {@code 404.html}, then a built-in page. {@code .puter_site_config} itself is never served. Files are streamed
 * with {@code Range}, {@code ETag} (the content's identity, which changes with every write) and
 * {@code Last-Modified}, with {@code Cache-Control: no-cache}: browsers revalidate on every use, and nothing is cached
 * on the server, so a changed file is served on the next request.
 *
 * <p>Protected sites ({@code protected: true}) admit their owner and users holding {@code site:uid#<uid>:access}: the
 * first visit carries {@code ?puter.auth.token=<token>} and gets a one-hour {@code puter.site.token} cookie for the
 * site.
 */
final class SiteServer implements Service, HttpService {

    static final String SITE_COOKIE = "puter.site.token";
    static final String CONFIG_FILE = ".puter_site_config";
    static final long MAX_CONFIG_BYTES = 256 * 1024;
    static final Duration SITE_TOKEN_TTL = Duration.ofHours(1);
    static final String DEFAULT_BASE_REDIRECT = "https://developer.puter.com/static-hosting/";
    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private final ServiceContext context;
    private final String baseRedirect;
    private volatile Subdomains subdomains;
    private volatile Filesystem fs;
    private volatile Users users;

    SiteServer(ServiceContext context) {
        this.context = context;
        this.baseRedirect = context.config().string("static_hosting_base_domain_redirect").filter(s -> !s.isBlank())
                .orElse(DEFAULT_BASE_REDIRECT);
    }

    @Override
    public void init() {
        subdomains = context.services().get(Subdomains.class);
        fs = context.services().get(Filesystem.class);
        users = context.services().get(Users.class);
    }

    @Override
    public void routes(Router router) {
        router.sites().get("/*", this::serve);
        router.platform().post("/delete-site", HttpAuth.userOnly(this::deleteSite));
    }

    /** Legacy {@code POST /delete-site {site_uuid}} (spec 5.2): deletes one of the caller's sites; {@code {}}. */
    private void deleteSite(Request req, Response res) {
        tools.jackson.databind.JsonNode uuid = req.jsonTree().get("site_uuid");
        if (uuid == null || uuid.isNull() || uuid.isString() && uuid.asString().isEmpty()) {
            res.status(400).text("site_uuid is required");
            return;
        }
        User user = HttpAuth.userActor().user();
        subdomains.byUid(uuid.isString() ? uuid.asString() : uuid.toString()).filter(s -> s.userId() == user.id())
                .ifPresent(s -> subdomains.delete(s.uid()));
        res.json(Map.of());
    }

    /** Where a request lands: the site's name, the path inside the site (raw), and the prefix of the site's URLs. */
    private record Target(String name, String path, String prefix) {}

    void serve(Request req, Response res) throws Exception {
        Optional<Target> target = target(req, res);
        if (target.isEmpty()) {
            return;
        }
        Target t = target.get();
        Optional<Subdomain> site = subdomains.byName(t.name());
        Optional<User> owner = site.flatMap(s -> users.byId(s.userId())).filter(u -> !u.suspended());
        if (site.isEmpty() || owner.isEmpty()) {
            res.status(404).html("Subdomain not found");
            return;
        }
        Subdomain s = site.get();
        if (s.isProtected() && !admitted(req, res, s, owner.get(), t)) {
            return;
        }
        // Everything below reads with the owner's rights, whoever the visitor is.
        req.context().withActor(UserActor.of(owner.get())).call(() -> {
            serveFrom(req, res, s, owner.get(), t);
            return null;
        });
    }

    private void serveFrom(Request req, Response res, Subdomain s, User owner, Target t) throws IOException {
        FsUser as = new FsUser(owner.id(), owner.username());
        if (s.rootDirUid().isEmpty()) {
            res.status(404).html("Subdomain or site is not pointing to a directory.");
            return;
        }
        Optional<Entry> found = fs.lookup(NodeRef.uid(s.rootDirUid().get()));
        if (found.isEmpty()) {
            res.status(502).html("subdomain is pointing to deleted directory");
            return;
        }
        Entry root = found.get();
        if (!root.isDir()) {
            res.status(502).html("subdomain is pointing to non-directory");
            return;
        }
        if (root.isRoot()) {
            throw ApiError.forbidden();
        }
        try {
            fs.stat(as, NodeRef.uid(root.uuid()));
        } catch (ApiError refused) {
            res.status(502).html("subdomain owner does not have access to directory");
            return;
        }

        Optional<String> resolved = SitePaths.resolve(t.path().isEmpty() ? "/" : t.path());
        if (resolved.isEmpty()) {
            notFound(res, as, root, "");
            return;
        }
        String path = resolved.get().endsWith("/") ? resolved.get() + "index.html" : resolved.get();
        Optional<Entry> entry = inside(root, path).flatMap(p -> fs.lookup(NodeRef.path(p)));
        if (entry.isEmpty() || entry.get().name().equals(CONFIG_FILE)) {
            notFound(res, as, root, path);
            return;
        }
        Entry e = entry.get();
        if (e.isDir()) {
            if (resolved.get().endsWith("/")) {
                notFound(res, as, root, path); // index.html is itself a folder
            } else {
                String raw = t.prefix() + (t.path().isEmpty() ? "/" : t.path());
                res.redirect(302, raw.endsWith("/") ? raw : raw + "/");
            }
            return;
        }
        Optional<FileContent> content = read(as, root, e);
        // Also through a link: the config file is never served.
        if (content.isEmpty() || content.get().entry().name().equals(CONFIG_FILE)) {
            notFound(res, as, root, path);
            return;
        }
        send(req, res, content.get());
    }

    /** Streams a file with its content type; {@code Range} and conditional requests apply to a 200 only. */
    private void send(Request req, Response res, FileContent content) throws IOException {
        res.header("Cache-Control", "no-cache");
        if (req.header("Range").isEmpty() && res.status() == 200) {
            res.header("x-expected-entity-length", Long.toString(content.length()));
        }
        String type = MediaTypes.of(content.entry().name()).orElse(DEFAULT_CONTENT_TYPE);
        res.serve(new Typed(content, type));
    }

    /**
     * The file's content, read as the owner, or empty when it is gone or (through a symbolic link) lies outside the
     * site's root.
     */
    private Optional<FileContent> read(FsUser as, Entry root, Entry e) {
        try {
            FileContent content = fs.readQuietly(as, NodeRef.uid(e.uuid()));
            return within(root, content.entry()) ? Optional.of(content) : Optional.empty();
        } catch (ApiError gone) {
            return Optional.empty();
        }
    }

    /** The absolute path of {@code sitePath} under the root, if it is a valid path. */
    private static Optional<String> inside(Entry root, String sitePath) {
        try {
            return Optional.of(FsPath.of(root.path().value() + sitePath).value());
        } catch (IllegalArgumentException invalid) {
            return Optional.empty();
        }
    }

    private static boolean within(Entry root, Entry e) {
        String r = root.path().value();
        return e.path().value().startsWith(r + "/");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Errors (spec 5.5)

    private void notFound(Response res, FsUser as, Entry root, String path) throws IOException {
        Optional<SiteErrorPages.Rule> rule = errorPages(as, root).forStatus(404);
        if (rule.isPresent()) {
            int status = rule.get().status().orElse(404);
            Optional<FileContent> page = rule.get().file().flatMap(f -> page(as, root, f));
            if (page.isPresent()) {
                res.status(status);
                sendPage(res, page.get());
                return;
            }
            if (rule.get().file().isEmpty()) {
                defaultPage(res, status, path);
                return;
            }
        }
        Optional<FileContent> custom = page(as, root, "/404.html");
        if (custom.isPresent()) {
            res.status(404);
            sendPage(res, custom.get());
            return;
        }
        defaultPage(res, 404, path);
    }

    private static void sendPage(Response res, FileContent page) throws IOException {
        res.header("Cache-Control", "no-cache");
        res.serve(new Typed(page, MediaTypes.of(page.entry().name()).orElse(DEFAULT_CONTENT_TYPE)));
    }

    /** A file of the site by its path inside the root (never the config file). */
    private Optional<FileContent> page(FsUser as, Entry root, String sitePath) {
        return SitePaths.resolve(sitePath).filter(p -> !p.endsWith("/")).flatMap(p -> inside(root, p))
                .flatMap(p -> fs.lookup(NodeRef.path(p)))
                .filter(e -> e.isFile() || e.isSymlink()).filter(e -> !e.name().equals(CONFIG_FILE))
                .flatMap(e -> read(as, root, e));
    }

    private SiteErrorPages errorPages(FsUser as, Entry root) {
        Optional<Entry> config = inside(root, "/" + CONFIG_FILE).flatMap(p -> fs.lookup(NodeRef.path(p)))
                .filter(Entry::isFile).filter(e -> e.size().orElse(0L) <= MAX_CONFIG_BYTES);
        if (config.isEmpty()) {
            return SiteErrorPages.NONE;
        }
        Optional<FileContent> content = read(as, root, config.get());
        if (content.isEmpty()) {
            return SiteErrorPages.NONE;
        }
        try (InputStream in = content.get().open(0, content.get().length())) {
            return SiteErrorPages.parse(new String(in.readNBytes((int) MAX_CONFIG_BYTES), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException unreadable) {
            return SiteErrorPages.NONE;
        }
    }

    private static void defaultPage(Response res, int status, String path) {
        String text = path.equals("/index.html") ? "<code>index.html</code> Not Found"
                : status == 404 ? "Not Found" : "Error " + status;
        String html = "<div style=\"font-size: 20px;\n        text-align: center;\n        height: calc(100vh);\n"
                + "        display: flex;\n        justify-content: center;\n        flex-direction: column;\">"
                + "<h1 style=\"margin:0; color:#727272;\">" + status + "</h1><p style=\"margin-top:10px;\">" + text
                + "</p></div>";
        res.status(status);
        res.bytes("text/html; charset=UTF-8", html.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Which site

    /**
     * The site a request is for; empty when the request was answered here (the bare hosting domain, or a site name
     * without its trailing slash on the sites port).
     */
    private Optional<Target> target(Request req, Response res) {
        if (req.siteInPath()) {
            String path = req.path();
            int slash = path.indexOf('/', 1);
            String name = (slash < 0 ? path.substring(1) : path.substring(1, slash)).toLowerCase(Locale.ROOT);
            if (name.isEmpty() || name.equals("www")) {
                redirectToBase(res);
                return Optional.empty();
            }
            if (slash < 0) {
                // Relative URLs in the site's pages only resolve under /<name>/.
                res.redirect(302, "/" + name + "/" + query(req));
                return Optional.empty();
            }
            return Optional.of(new Target(name, path.substring(slash), "/" + name));
        }
        String host = req.host();
        PublicUrls urls = context.services().get(WebServer.class).urls();
        for (String domain : new String[] {urls.staticHostingDomain(), urls.staticHostingDomainAlt(),
                urls.privateAppHostingDomain(), urls.privateAppHostingDomainAlt()}) {
            if (host.equals(hostname(domain))) {
                redirectToBase(res);
                return Optional.empty();
            }
        }
        int dot = host.indexOf('.');
        String name = dot < 0 ? host : host.substring(0, dot);
        if (name.equals("www")) {
            redirectToBase(res);
            return Optional.empty();
        }
        return Optional.of(new Target(name, req.path(), ""));
    }

    /** The request's query again ({@code ?a=b&c=d}), or nothing. */
    private static String query(Request req) {
        if (req.queryParams().isEmpty()) {
            return "";
        }
        StringBuilder q = new StringBuilder("?");
        req.queryParams().forEach((k, v) -> q.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        q.setLength(q.length() - 1);
        return q.toString();
    }

    private void redirectToBase(Response res) {
        res.status(302).header("Location", baseRedirect);
        res.text("Found. Redirecting to " + baseRedirect);
    }

    private static String hostname(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return (colon > 0 && hostAndPort.indexOf(']') < colon ? hostAndPort.substring(0, colon) : hostAndPort)
                .toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Protected sites (spec 5.6.1)

    /** Whether the visitor may see the protected site; if not, the response (a redirect to the GUI) is written. */
    private boolean admitted(Request req, Response res, Subdomain s, User owner, Target t) {
        Tokens tokens = context.services().get(Tokens.class);
        Optional<String> cookie = req.cookie(SITE_COOKIE).filter(c -> !c.isBlank());
        if (cookie.isPresent()) {
            try {
                TokenClaims.Site claims = tokens.verify(cookie.get(), TokenClaims.Site.class);
                if (claims.siteUid().equals(s.uid())) {
                    if (claims.issuedAt().map(iat -> iat.isBefore(Instant.now().minusSeconds(30))).orElse(true)) {
                        setSiteCookie(res, tokens, s, t);
                    }
                    return true;
                }
            } catch (ApiError invalid) {
                // another site's, expired or forged: fall back to the query token
            }
        }
        boolean inIframe = req.query("puter.app_instance_id").isPresent();
        Optional<String> token = req.query("puter.auth.token").filter(q -> !Authenticator.isAbsent(q));
        if (token.isEmpty()) {
            refuse(res, ApiError.tokenMissing(), inIframe);
            return false;
        }
        Actor visitor;
        try {
            visitor = context.services().get(Authenticator.class).authenticate(token.get());
        } catch (ApiError e) {
            refuse(res, e, inIframe);
            return false;
        }
        boolean allowed = visitor.actingUser().map(u -> u.id() == owner.id()).orElse(false)
                || context.services().get(Permissions.class).check(visitor, "site:uid#" + s.uid() + ":access");
        if (!allowed) {
            refuse(res, ApiError.forbidden(), inIframe);
            return false;
        }
        setSiteCookie(res, tokens, s, t);
        return true;
    }

    private static void setSiteCookie(Response res, Tokens tokens, Subdomain s, Target t) {
        // On the shared sites port each site's cookie stays on its own path.
        String path = t.prefix().isEmpty() ? "/" : t.prefix() + "/";
        res.addHeader("Set-Cookie", SITE_COOKIE + "=" + tokens.issueSite(s.uid(), SITE_TOKEN_TTL) + "; Path=" + path
                + "; Max-Age=" + SITE_TOKEN_TTL.toSeconds() + "; HttpOnly; Secure; SameSite=None");
    }

    /** The GUI shows the error: {@code <origin>?error=true&message=...&status=...&field_<k>=...}. */
    private void refuse(Response res, ApiError error, boolean inIframe) {
        Map<String, String> q = new LinkedHashMap<>();
        if (inIframe) {
            q.put("error_from_within_iframe", "true");
        }
        q.put("error", "true");
        q.put("message", error.getMessage());
        q.put("status", Integer.toString(error.status()));
        q.put("field_code", error.code());
        error.fields().forEach((k, v) -> q.put("field_" + k, String.valueOf(v)));
        StringBuilder url = new StringBuilder(context.services().get(WebServer.class).urls().origin()).append('?');
        q.forEach((k, v) -> url.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        url.setLength(url.length() - 1);
        res.redirect(302, url.toString());
    }

    /** A file's content with the content type of its name. */
    private record Typed(FileContent content, String contentType) implements ByteSource {

        @Override
        public long length() {
            return content.length();
        }

        @Override
        public Optional<String> etag() {
            return content.etag();
        }

        @Override
        public Optional<Instant> lastModified() {
            return content.lastModified();
        }

        @Override
        public InputStream open(long offset, long length) throws IOException {
            return content.open(offset, length);
        }
    }
}
