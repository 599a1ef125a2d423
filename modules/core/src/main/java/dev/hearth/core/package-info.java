/**
 * Hearth's core module: the database, and the accounts layer of Puter's API without HTTP. Each service below is
 * registered by {@link dev.hearth.core.CoreModule}, in this order, and found with
 * {@code services.get(Type.class)}:
 *
 * <table>
 *   <tr><th>service</th><th>type</th><th>what</th></tr>
 *   <tr><td>database</td><td>{@link dev.hearth.core.Database}</td><td>SQLite/PostgreSQL, migrations, JDBI</td></tr>
 *   <tr><td>auth-cache-epoch</td><td>(internal)</td><td>cross-instance invalidation of the caches below</td></tr>
 *   <tr><td>users</td><td>{@link dev.hearth.core.Users}</td><td>accounts, signup rules, login check, 2FA, default
 *       admin</td></tr>
 *   <tr><td>tokens</td><td>{@link dev.hearth.core.Tokens}</td><td>every JWT: auth tokens by type, purpose
 *       tokens</td></tr>
 *   <tr><td>sessions</td><td>{@link dev.hearth.core.Sessions}</td><td>login sessions, cached</td></tr>
 *   <tr><td>authenticator</td><td>{@link dev.hearth.core.Authenticator}</td><td>raw token → {@link
 *       dev.hearth.core.Actor}</td></tr>
 *   <tr><td>permissions</td><td>{@link dev.hearth.core.Permissions}</td><td>checks and grants</td></tr>
 *   <tr><td>groups</td><td>{@link dev.hearth.core.Groups}</td><td>user groups</td></tr>
 *   <tr><td>access-tokens</td><td>{@link dev.hearth.core.AccessTokens}</td><td>tokens for a set of
 *       permissions</td></tr>
 *   <tr><td>filesystem-acl</td><td>{@link dev.hearth.core.FilesystemAcl}</td><td>the ACL the filesystem asks</td></tr>
 *   <tr><td>private-uids</td><td>{@link dev.hearth.core.PrivateUids}</td><td>pseudonymous actor ids</td></tr>
 *   <tr><td>anti-csrf-tokens</td><td>{@link dev.hearth.core.AntiCsrfTokens}</td><td>single-use form tokens</td></tr>
 *   <tr><td>notification</td><td>{@link dev.hearth.core.Notifications}</td><td>notifications: notify, acknowledge,
 *       mark read, list; unread delivery to sockets ({@code services.notification.unread_delay_ms}, 2000)</td></tr>
 *   <tr><td>account-sockets</td><td>(internal)</td><td>{@code user.email_confirmed}/{@code user.email_changed} to the
 *       user's sockets; sockets of revoked sessions, deleted or suspended users disconnected
 *       ({@code outer.socket.disconnect})</td></tr>
 *   <tr><td>login-throttle</td><td>{@link dev.hearth.core.LoginThrottle}</td><td>login back-off, no
 *       lock-out</td></tr>
 *   <tr><td>accounts-http</td><td>(internal)</td><td>the {@link dev.hearth.core.HttpAuth} middleware; sign-up, login,
 *       2FA, logout, {@code /whoami}, passwords, email, username, deletion</td></tr>
 *   <tr><td>tokens-http</td><td>(internal)</td><td>sessions, app and access tokens, grants, permission checks,
 *       groups</td></tr>
 *   <tr><td>notification-http</td><td>(internal)</td><td>{@code POST /notif/mark-ack}, {@code /notif/mark-read}</td></tr>
 * </table>
 *
 * <p><b>HTTP.</b> Every routed request passes {@link dev.hearth.core.HttpAuth}'s {@code AUTH}-stage middleware, which
 * finds the token (body {@code auth_token} → {@code Authorization: Bearer} → {@code x-api-key} → the session cookie →
 * {@code ?auth_token} on {@code GET}), authenticates it and binds the actor in the request context. Routes declare
 * what they need by wrapping their handler: {@code HttpAuth.required(h)}, {@code HttpAuth.optional(h)},
 * {@code HttpAuth.userOnly(h)}; handlers read {@code HttpAuth.actor()}. Modules above core use the same guards. A
 * cookie authenticates a state-changing request only from Hearth's own origins (CSRF). Configuration:
 * {@code cookie_name}, {@code disable_user_signup} and {@code disable_temp_users} (unset: open when {@code host} is a
 * loopback address, closed otherwise), {@code legacy_token_migrate}, {@code qr_login_enabled},
 * {@code enable_public_folders}, {@code protocol} ({@code https}: the cookie is {@code Secure; SameSite=None}, else
 * {@code SameSite=Lax}). Emails are emitted as {@code email.send} events for a mailer module.
 *
 * Modules above core extend it through {@link dev.hearth.core.spi}: the filesystem contributes the {@code is-owner}
 * implicator and the {@code fs:/path} rewriter, the apps module an {@link dev.hearth.core.spi.AppDirectory}, hosting a
 * {@link dev.hearth.core.spi.SiteDirectory}; and they listen to {@link dev.hearth.core.UserEvents}.
 */
package dev.hearth.core;
