package dev.hearth.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.hearth.core.spi.AppDirectory;
import dev.hearth.core.spi.PermissionImplicator;
import dev.hearth.core.spi.PermissionRewriter;
import dev.hearth.core.spi.SiteDirectory;
import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;
import dev.hearth.kernel.Service;

/**
 * A hand-written stand-in for the modules above core (apps, hosting, filesystem): an app registry, a site registry
 * and the filesystem's {@code is-owner} implicator over a map of node owners, all editable by tests.
 */
final class FakeAbove implements Module, Service, AppDirectory, SiteDirectory, PermissionImplicator, PermissionRewriter {

    final Map<String, App> apps = new ConcurrentHashMap<>();
    final Map<String, Site> sites = new ConcurrentHashMap<>();
    /** Filesystem path → node uid, for the {@code fs:/path} rewriter. */
    final Map<String, String> paths = new ConcurrentHashMap<>();
    /** Filesystem node uid → owner user id. */
    final Map<String, Long> nodeOwners = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "fake-above";
    }

    @Override
    public void install(ModuleInstaller installer) {
        installer.register("fake-above", context -> this);
    }

    @Override
    public Optional<App> appByUid(String appUid) {
        return Optional.ofNullable(apps.get(appUid));
    }

    @Override
    public Optional<Site> siteByUid(String siteUid) {
        return Optional.ofNullable(sites.get(siteUid));
    }

    @Override
    public List<Map<String, Object>> taskbarItems(User user, java.util.OptionalInt iconSize) {
        Map<String, Object> editor = new java.util.LinkedHashMap<>();
        editor.put("uid", "app-editor");
        iconSize.ifPresent(s -> editor.put("icon", "/app-icon/app-editor/" + s));
        editor.put("name", "editor");
        return List.of(editor);
    }

    @Override
    public void bootstrapFromOrigin(String appUid, String origin) {
        apps.putIfAbsent(appUid, new App(appUid, appUid, Optional.empty()));
    }

    App addApp(String uid, Optional<Long> owner) {
        App app = new App(uid, uid, owner);
        apps.put(uid, app);
        return app;
    }

    // is-owner (spec 3.4): a user actor owning the node implies every fs permission on it.
    @Override
    public String implicatorId() {
        return "is-owner";
    }

    @Override
    public boolean shortcut() {
        return true;
    }

    @Override
    public boolean matches(Permission permission) {
        List<String> c = permission.components();
        int i = 0;
        while (i < c.size() && c.get(i).equals(Permission.MANAGE)) {
            i++;
        }
        return c.size() > i + 1 && c.get(i).equals("fs");
    }

    @Override
    public Optional<Map<String, Object>> check(Actor actor, Permission permission) {
        if (!(actor instanceof UserActor u)) {
            return Optional.empty();
        }
        List<String> c = permission.components();
        int i = 0;
        while (c.get(i).equals(Permission.MANAGE)) {
            i++;
        }
        Long owner = nodeOwners.get(c.get(i + 1));
        return owner != null && owner == u.user().id() ? Optional.of(Map.of()) : Optional.empty();
    }

    // The filesystem's rewriter: fs:/<path>... and manage:fs:/<path>... become fs:<uid>... (spec 3.4).
    @Override
    public boolean rewrites(Permission permission) {
        return isFsPath(permission);
    }

    private static boolean isFsPath(Permission p) {
        List<String> c = p.components();
        int i = 0;
        while (i < c.size() && c.get(i).equals(Permission.MANAGE)) {
            i++;
        }
        return c.size() > i + 1 && c.get(i).equals("fs") && c.get(i + 1).startsWith("/");
    }

    @Override
    public Permission rewrite(Actor actor, Permission permission) {
        List<String> c = new java.util.ArrayList<>(permission.components());
        int i = c.indexOf("fs") + 1;
        String uid = paths.get(c.get(i));
        if (uid == null) {
            throw AccountErrors.subjectDoesNotExist();
        }
        c.set(i, uid);
        return Permission.of(c);
    }
}
