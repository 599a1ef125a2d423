package dev.hearth.core;

import dev.hearth.kernel.Module;
import dev.hearth.kernel.ModuleInstaller;

/**
 * The core module. The {@code database} service comes first, so that its consolidation (where every module's
 * migrations run) precedes every other service's. The accounts layer follows: users, tokens, sessions, the
 * authentication of tokens, access tokens, groups, permissions, the filesystem ACL and login throttling; notifications, and
 * what accounts tell the user's sockets.
 */
public final class CoreModule implements Module {

    @Override
    public String name() {
        return "core";
    }

    @Override
    public void install(ModuleInstaller installer) {
        installer.register("database", Database::new);
        installer.register("auth-cache-epoch", CacheEpoch::new);
        installer.register("users", Users::new);
        installer.register("tokens", Tokens::new);
        installer.register("sessions", Sessions::new);
        installer.register("authenticator", Authenticator::new);
        installer.register("socket-authentication", SocketAuthentication::new);
        installer.register("permissions", Permissions::new);
        installer.register("groups", Groups::new);
        installer.register("access-tokens", AccessTokens::new);
        installer.register("filesystem-acl", FilesystemAcl::new);
        installer.register("private-uids", PrivateUids::new);
        installer.register("anti-csrf-tokens", AntiCsrfTokens::new);
        installer.register("notification", Notifications::new);
        installer.register("account-sockets", AccountSockets::new);
        // A distributed throttle (Redis) is another module's service implementing LoginThrottle; with
        // services.login-throttle.backend set to anything but "memory", core leaves the place to it.
        if (installer.config().string("services.login-throttle.backend").orElse("memory").equals("memory")) {
            installer.register("login-throttle", context -> new InProcessLoginThrottle());
        }
        // HTTP: the authentication middleware and the accounts, tokens, permissions and groups endpoints.
        installer.register("email", Email::new);
        installer.register("edge-limits", EdgeLimits::new);
        installer.register("accounts-http", AccountRoutes::new);
        installer.register("tokens-http", TokenRoutes::new);
        installer.register("notification-http", NotificationRoutes::new);
    }
}
