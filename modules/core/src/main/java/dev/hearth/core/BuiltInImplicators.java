package dev.hearth.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.hearth.core.spi.PermissionImplicator;

/** Core's own implicators (spec 3.4); the filesystem, apps and hosting modules contribute theirs. */
final class BuiltInImplicators {

    private BuiltInImplicators() {}

    /** A user may let apps read their email: {@code user:<own uuid>:email:read}. */
    static final PermissionImplicator USER_SET_OWN = new Simple("user-set-own", true) {
        @Override
        public boolean matches(Permission p) {
            return p.raw().startsWith("user:");
        }

        @Override
        public Optional<Map<String, Object>> check(Actor actor, Permission p) {
            return actor instanceof UserActor u && p.raw().equals("user:" + u.user().uuid() + ":email:read")
                    ? Optional.of(Map.of()) : Optional.empty();
        }
    };

    /** The KV store is open to everyone, at 200 calls per 10 s. */
    static final PermissionImplicator KV = new Simple("kv permissions are easy", true) {
        @Override
        public boolean matches(Permission p) {
            return p.raw().equals("service:puter-kvstore:ii:puter-kvstore");
        }

        @Override
        public Optional<Map<String, Object>> check(Actor actor, Permission p) {
            return Optional.of(Map.of("policy", Map.of("rate-limit", Map.of("max", 200, "period", 10_000))));
        }
    };

    /** A user holds {@code apps-of-user:<own uuid>:...} and {@code subdomains-of-user:<own uuid>:...}. */
    static final PermissionImplicator OWN_APPS = new Simple("user-can-grant-read-own-apps", false) {
        @Override
        public boolean matches(Permission p) {
            return p.raw().startsWith("apps-of-user:") || p.raw().startsWith("subdomains-of-user:");
        }

        @Override
        public Optional<Map<String, Object>> check(Actor actor, Permission p) {
            return actor instanceof UserActor u && p.component(1).filter(u.user().uuid()::equals).isPresent()
                    ? Optional.of(Map.of()) : Optional.empty();
        }
    };

    /**
     * A user holds {@code flag:app-is-authenticated}, so that granting it to an app (at {@code
     * /auth/get-user-app-token}) is effective: an app's grant only counts while its user holds the permission too.
     */
    static final PermissionImplicator APP_AUTHENTICATED = new Simple("user-can-authenticate-apps", true) {
        @Override
        public boolean matches(Permission p) {
            return p.raw().equals("flag:app-is-authenticated");
        }

        @Override
        public Optional<Map<String, Object>> check(Actor actor, Permission p) {
            return actor instanceof UserActor ? Optional.of(Map.of()) : Optional.empty();
        }
    };

    static final List<PermissionImplicator> ALL = List.of(USER_SET_OWN, KV, OWN_APPS, APP_AUTHENTICATED);

    private abstract static class Simple implements PermissionImplicator {
        private final String id;
        private final boolean shortcut;

        Simple(String id, boolean shortcut) {
            this.id = id;
            this.shortcut = shortcut;
        }

        @Override
        public String implicatorId() {
            return id;
        }

        @Override
        public boolean shortcut() {
            return shortcut;
        }
    }
}
