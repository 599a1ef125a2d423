package dev.hearth.core;

import java.util.Locale;

import dev.hearth.kernel.Config;

/**
 * The configuration of the accounts endpoints.
 *
 * @param cookieName {@code cookie_name}: the session cookie (a generated secret; {@code hearth_session} if unset)
 * @param signupDisabled {@code disable_user_signup}; unset → open when Hearth listens on loopback only ({@code host}
 *                       is {@code 127.0.0.1}, {@code ::1} or {@code localhost}), closed on any other address
 * @param tempUsersDisabled {@code disable_temp_users}; unset → the same default as sign-up
 * @param legacyTokenMigrate {@code legacy_token_migrate} (true): {@code /whoami} upgrades tokens without a type
 * @param publicFolders {@code enable_public_folders}, reported in {@code /whoami}'s feature flags
 * @param qrLogin {@code qr_login_enabled} (true): {@code ?auth_token=} on a main-domain page sets the cookie
 */
record AccountHttpSettings(String cookieName, boolean signupDisabled, boolean tempUsersDisabled,
        boolean legacyTokenMigrate, boolean publicFolders, boolean qrLogin) {

    static AccountHttpSettings from(Config config) {
        boolean loopback = isLoopback(config.string("host").orElse("127.0.0.1"));
        return new AccountHttpSettings(
                config.string("cookie_name").filter(s -> !s.isBlank()).orElse("hearth_session"),
                config.node("disable_user_signup").isPresent() ? config.flag("disable_user_signup") : !loopback,
                config.node("disable_temp_users").isPresent() ? config.flag("disable_temp_users") : !loopback,
                config.node("legacy_token_migrate").isEmpty() || config.flag("legacy_token_migrate"),
                config.flag("enable_public_folders"),
                config.node("qr_login_enabled").isEmpty() || config.flag("qr_login_enabled"));
    }

    static boolean isLoopback(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.isEmpty() || h.equals("localhost") || h.equals("::1") || h.startsWith("127.");
    }
}
