package dev.hearth.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.hearth.kernel.ApiError;
import dev.hearth.kernel.Config;
import dev.hearth.kernel.Kernel;
import dev.hearth.kernel.Module;

/** Permissions, grants, groups, access tokens and the filesystem ACL on a real database. */
abstract class PermissionsContract extends AccountsFixture {

    final FakeAbove above = new FakeAbove();

    @Override
    List<Module> extraModules() {
        return List.of(above);
    }

    @Override
    Config adjust(Config config) {
        return config.with("enable_public_folders", true);
    }

    Permissions perms() {
        return get(Permissions.class);
    }

    Groups groups() {
        return get(Groups.class);
    }

    AccessTokens accessTokens() {
        return get(AccessTokens.class);
    }

    FilesystemAcl acl() {
        return get(FilesystemAcl.class);
    }

    /** A node owned by {@code owner}, known to the fake is-owner implicator. */
    String node(User owner) {
        String uid = UUID.randomUUID().toString();
        above.nodeOwners.put(uid, owner.id());
        return uid;
    }

    static UserActor as(User u) {
        return UserActor.of(u);
    }

    static ApiError apiError(Runnable r) {
        try {
            r.run();
        } catch (ApiError e) {
            return e;
        }
        throw new AssertionError("no ApiError");
    }

    @Test
    void fsPermissionsExplodeIntoTheirHigherModes() {
        assertThat(Permissions.explode(Permission.parse("fs:U:read"))).extracting(Permission::raw)
                .containsExactly("fs:U:read", "fs:U", "fs", "fs:U:write", "manage:fs:U");
        assertThat(Permissions.explode(Permission.parse("fs:U:see"))).extracting(Permission::raw)
                .containsExactly("fs:U:see", "fs:U", "fs", "fs:U:list", "fs:U:read", "fs:U:write", "manage:fs:U");
        assertThat(Permissions.explode(Permission.parse("fs:U:write"))).extracting(Permission::raw)
                .containsExactly("fs:U:write", "fs:U", "fs");
    }

    @Test
    void theImplicationChainWriteReadListSee() {
        User alice = newUser();
        User bob = newUser();
        String n = node(alice);
        perms().grantUserToUser(as(alice), bob.username(), "fs:" + n + ":write", Map.of());

        assertThat(perms().checkAll(as(bob), List.of("fs:" + n + ":write", "fs:" + n + ":read", "fs:" + n + ":list",
                "fs:" + n + ":see", "manage:fs:" + n)))
                .containsExactly(Map.entry("fs:" + n + ":write", true), Map.entry("fs:" + n + ":read", true),
                        Map.entry("fs:" + n + ":list", true), Map.entry("fs:" + n + ":see", true),
                        Map.entry("manage:fs:" + n, false));

        User carol = newUser();
        perms().grantUserToUser(as(alice), carol.username(), "fs:" + n + ":list", Map.of());
        assertThat(perms().check(as(carol), "fs:" + n + ":see")).isTrue();
        assertThat(perms().check(as(carol), "fs:" + n + ":read")).isFalse();
    }

    @Test
    void theDefaultGroupsHoldDriversServicesAndTheirPolicies() {
        User user = newUser();
        User guest = users().create(NewUser.guest());
        User admin = users().byUsername("admin").orElseThrow();

        assertThat(perms().check(as(user), "driver:puter-chat-completion:complete")).isTrue();
        assertThat(perms().check(as(user), "service:es\\Capp:ii:crud-q")).isTrue();
        assertThat(perms().option(as(user), "driver:puter-kvstore:get")).contains(
                Map.of("policy", Map.of("rate-limit", Map.of("max", 200, "period", 10_000))));
        assertThat(perms().option(as(guest), "driver:puter-kvstore")).contains(
                Map.of("policy", Map.of("rate-limit", Map.of("max", 100, "period", 10_000))));
        assertThat(perms().option(as(user), "service:es\\Capp:ii:crud-q")).contains(
                Map.of("policy", Map.of("rate-limit", Map.of("max", 3000, "period", 30_000))));
        assertThat(perms().check(as(user), "kernel-info")).isFalse();
        assertThat(perms().check(as(admin), "kernel-info")).isTrue();
        // The KV shortcut: 200 per 10 s for everyone, guests included.
        assertThat(perms().option(as(guest), "service:puter-kvstore:ii:puter-kvstore")).contains(
                Map.of("policy", Map.of("rate-limit", Map.of("max", 200, "period", 10_000))));
        // The system user and the system actor hold everything.
        User system = users().byUsername("system").orElseThrow();
        assertThat(perms().check(as(system), "anything:at:all")).isTrue();
        assertThat(perms().check(SystemActor.INSTANCE, "anything:at:all")).isTrue();
    }

    @Test
    void usersMayReadTheirOwnEmailAndAppsAndNobodyElses() {
        User alice = newUser();
        User bob = newUser();
        assertThat(perms().check(as(alice), "user:" + alice.uuid() + ":email:read")).isTrue();
        assertThat(perms().check(as(alice), "user:" + bob.uuid() + ":email:read")).isFalse();
        assertThat(perms().check(as(alice), "apps-of-user:" + alice.uuid() + ":write")).isTrue();
        assertThat(perms().check(as(alice), "subdomains-of-user:" + bob.uuid() + ":read")).isFalse();
        assertThat(perms().checkAll(as(alice), List.of("", "x", "x"))).containsExactly(Map.entry("", false),
                Map.entry("x", false));
    }

    @Test
    void grantingNeedsManageAndNamesTheHolder() {
        User alice = newUser();
        User bob = newUser();
        String n = node(alice);

        ApiError notManager = apiError(() -> perms().grantUserToUser(as(bob), alice.username(), "fs:" + n + ":read", Map.of()));
        assertThat(notManager.body()).containsEntry("code", "permission_denied").containsEntry("permission", "manage:fs:" + n + ":read");
        assertThat(notManager.status()).isEqualTo(403);
        ApiError self = apiError(() -> perms().grantUserToUser(as(alice), alice.username(), "fs:" + n + ":read", Map.of()));
        assertThat(self.body()).containsEntry("code", "field_invalid").containsEntry("key", "target_username");
        ApiError nobody = apiError(() -> perms().grantUserToUser(as(alice), "nobody_here", "fs:" + n + ":read", Map.of()));
        assertThat(nobody.status()).isEqualTo(422);
        assertThat(nobody.getMessage()).isEqualTo("The user `nobody_here` does not exist.");
        ApiError notAUser = apiError(() -> perms().grantUserToUser(new AppUnderUserActor(alice, "app-x", Optional.empty()),
                bob.username(), "fs:" + n + ":read", Map.of()));
        assertThat(notAUser.code()).isEqualTo("forbidden");
    }

    @Test
    void aRevokedGrantStopsAtOnceAndCascadesThroughItsIssuer() {
        User alice = newUser();
        User bob = newUser();
        User carol = newUser();
        String n = node(alice);
        perms().grantUserToUser(as(alice), bob.username(), "manage:fs:" + n, Map.of());
        perms().grantUserToUser(as(bob), carol.username(), "fs:" + n + ":read", Map.of("note", "from bob"));
        assertThat(perms().check(as(carol), "fs:" + n + ":read")).isTrue(); // cached now
        assertThat(perms().option(as(carol), "fs:" + n + ":read")).contains(Map.of("note", "from bob"));

        perms().revokeUserToUser(as(alice), bob.username(), "manage:fs:" + n);

        assertThat(perms().check(as(bob), "manage:fs:" + n)).isFalse();
        assertThat(perms().check(as(carol), "fs:" + n + ":read")).isFalse(); // bob no longer holds what he granted
    }

    @Test
    void anOwnerRevokesWhatOthersGrantedOnTheirResource() {
        User alice = newUser();
        User bob = newUser();
        User carol = newUser();
        String n = node(alice);
        perms().grantUserToUser(as(alice), bob.username(), "manage:fs:" + n, Map.of());
        perms().grantUserToUser(as(bob), carol.username(), "fs:" + n + ":read", Map.of());
        assertThat(perms().list(carol).userToMyself()).containsExactly(
                new Permissions.Grantee(bob.username(), "fs:" + n + ":read", "{}"));

        perms().revokeUserToUser(as(alice), carol.username(), "fs:" + n + ":read");

        assertThat(perms().check(as(carol), "fs:" + n + ":read")).isFalse();
        assertThat(perms().check(as(bob), "manage:fs:" + n)).isTrue();
    }

    @Test
    void grantsCannotLoop() {
        User a = newUser();
        User b = newUser();
        String n = node(newUser());
        // Forged directly: a and b grant each other what neither holds.
        get(Database.class).jdbi().useHandle(h -> {
            h.execute("INSERT INTO user_to_user_permissions (issuer_user_id, holder_user_id, permission, extra, created_at)"
                    + " VALUES (?, ?, ?, '{}', 0)", a.id(), b.id(), "fs:" + n + ":read");
            h.execute("INSERT INTO user_to_user_permissions (issuer_user_id, holder_user_id, permission, extra, created_at)"
                    + " VALUES (?, ?, ?, '{}', 0)", b.id(), a.id(), "fs:" + n + ":read");
        });
        perms().invalidateCaches();
        assertThat(perms().check(as(a), "fs:" + n + ":read")).isFalse();
        assertThat(perms().check(as(b), "fs:" + n + ":read")).isFalse();
    }

    @Test
    void anAppNeverPassesAPermissionItsUserLacks() {
        User alice = newUser();
        User owner = newUser();
        String theirs = node(owner);
        above.addApp("app-perm", Optional.empty());
        AppUnderUserActor app = new AppUnderUserActor(alice, "app-perm", Optional.empty());

        // Granted by the user, but the user does not hold it: nothing.
        perms().grantUserToApp(as(alice), "app-perm", "fs:" + theirs + ":read", Map.of());
        perms().grantUserToApp(as(alice), "app-perm", "kernel-info", Map.of());
        assertThat(perms().check(app, "fs:" + theirs + ":read")).isFalse();
        assertThat(perms().check(app, "kernel-info")).isFalse();

        // Once the user holds it, the app does too; when the user loses it, so does the app.
        perms().grantUserToUser(as(owner), alice.username(), "fs:" + theirs + ":read", Map.of());
        assertThat(perms().check(app, "fs:" + theirs + ":read")).isTrue();
        assertThat(perms().check(app, "fs:" + theirs + ":write")).isFalse();
        perms().revokeUserToUser(as(owner), alice.username(), "fs:" + theirs + ":read");
        assertThat(perms().check(app, "fs:" + theirs + ":read")).isFalse();

        // The implicit ones follow the user's groups; the user's own rules (email) need a grant.
        assertThat(perms().check(app, "driver:puter-kvstore")).isTrue();
        assertThat(perms().check(app, "user:" + alice.uuid() + ":email:read")).isFalse();
        perms().grantUserToApp(as(alice), "app-perm", "user:" + alice.uuid() + ":email:read", Map.of());
        assertThat(perms().check(app, "user:" + alice.uuid() + ":email:read")).isTrue();
        perms().revokeUserToApp(as(alice), "app-perm", "*");
        assertThat(perms().check(app, "user:" + alice.uuid() + ":email:read")).isFalse();
        assertThat(perms().list(alice).myselfToApp()).isEmpty();

        ApiError unknownApp = apiError(() -> perms().grantUserToApp(as(alice), "app-nope", "x", Map.of()));
        assertThat(unknownApp.status()).isEqualTo(422);
        assertThat(unknownApp.getMessage()).isEqualTo("Entity not found: `app:app-nope`");
    }

    @Test
    void developerGrantsAreBoundedByTheDevelopersRights() {
        User dev = newUser();
        User someone = newUser();
        String devNode = node(dev);
        above.addApp("app-dev", Optional.of(dev.id()));
        perms().grantDevToApp(as(dev), "app-dev", "fs:" + devNode + ":read", Map.of());
        AppUnderUserActor app = new AppUnderUserActor(someone, "app-dev", Optional.empty());
        assertThat(perms().check(app, "fs:" + devNode + ":read")).isTrue();

        above.nodeOwners.put(devNode, someone.id() + 1_000_000); // the developer no longer owns it
        perms().invalidateCaches();
        assertThat(perms().check(app, "fs:" + devNode + ":read")).isFalse();
        assertThat(apiError(() -> perms().grantDevToApp(as(dev), "app-dev", "kernel-info", Map.of())).code())
                .isEqualTo("permission_denied");
    }

    @Test
    void accessTokensHoldTheirPermissionsWhileTheAuthorizerDoes() {
        User alice = newUser();
        User bob = newUser();
        String n = node(alice);
        String jwt = accessTokens().create(as(alice), List.of(AccessTokens.Requested.of("fs:" + n + ":read"),
                AccessTokens.Requested.of("kernel-info")), Optional.of(Duration.ofHours(1)));
        Actor token = get(Authenticator.class).authenticate(jwt);
        String tokenUid = ((AccessTokenActor) token).tokenUid();
        assertThat(accessTokens().permissions(tokenUid)).containsExactly("fs:" + n + ":read", "kernel-info");

        assertThat(perms().check(token, "fs:" + n + ":read")).isTrue();
        assertThat(perms().check(token, "fs:" + n + ":write")).isFalse(); // not stored
        assertThat(perms().check(token, "kernel-info")).isFalse(); // stored, but alice lacks it
        assertThat(perms().check(token, "driver")).isFalse(); // alice has it, the token does not

        assertThat(apiError(() -> accessTokens().revoke(as(bob), tokenUid)).code()).isEqualTo("forbidden");
        assertThat(apiError(() -> accessTokens().revoke(as(bob), jwt)).code()).isEqualTo("forbidden");
        assertThat(apiError(() -> accessTokens().revoke(as(bob), UUID.randomUUID().toString())).code()).isEqualTo("forbidden");
        assertThat(apiError(() -> accessTokens().revoke(as(bob), "a.b.c")).code()).isEqualTo("token_auth_failed");
        assertThat(apiError(() -> accessTokens().revoke(as(bob), "")).code()).isEqualTo("field_missing");
        assertThat(perms().check(token, "fs:" + n + ":read")).isTrue();

        accessTokens().revoke(as(alice), "https://puter.localhost/token-read?x=1&token=" + jwt);
        assertThat(perms().check(token, "fs:" + n + ":read")).isFalse();
        assertThat(accessTokens().permissions(tokenUid)).isEmpty();

        assertThat(apiError(() -> accessTokens().create(token, List.of(AccessTokens.Requested.of("driver")),
                Optional.empty())).code()).isEqualTo("forbidden");
        assertThat(apiError(() -> accessTokens().create(as(alice), List.of(), Optional.empty())).code())
                .isEqualTo("field_missing");
    }

    @Test
    void expiresInFollowsJsonwebtokensGrammar() {
        assertThat(AccessTokens.parseExpiresIn(null)).isEmpty();
        assertThat(AccessTokens.parseExpiresIn(3600)).contains(Duration.ofHours(1));
        assertThat(AccessTokens.parseExpiresIn("3600")).contains(Duration.ofMillis(3600));
        assertThat(AccessTokens.parseExpiresIn("1h")).contains(Duration.ofHours(1));
        assertThat(AccessTokens.parseExpiresIn("24h")).contains(Duration.ofHours(24));
        assertThat(AccessTokens.parseExpiresIn("7d")).contains(Duration.ofDays(7));
        assertThat(AccessTokens.parseExpiresIn("30m")).contains(Duration.ofMinutes(30));
        assertThat(AccessTokens.parseExpiresIn("10s")).contains(Duration.ofSeconds(10));
        assertThat(AccessTokens.parseExpiresIn("2 days")).contains(Duration.ofDays(2));
        assertThat(AccessTokens.parseExpiresIn("100ms")).contains(Duration.ofMillis(100));
        assertThat(AccessTokens.parseExpiresIn("1.5h")).contains(Duration.ofMinutes(90));
        assertThat(AccessTokens.parseExpiresIn("1y")).contains(Duration.ofMillis(31_557_600_000L));
        assertThat(apiError(() -> AccessTokens.parseExpiresIn("soon")).code()).isEqualTo("field_invalid");
        assertThat(apiError(() -> AccessTokens.parseExpiresIn(List.of())).code()).isEqualTo("field_invalid");
    }

    @Test
    void groupsTheirMembersAndTheirGrants() {
        User alice = newUser();
        User bob = newUser();
        String n = node(alice);
        String uid = groups().create(as(alice), Map.of("title", "Team"));
        groups().addUsers(as(alice), uid, List.of(bob.username(), bob.username()));
        perms().grantUserToGroup(as(alice), uid, "fs:" + n + ":read", Map.of());
        assertThat(perms().check(as(bob), "fs:" + n + ":read")).isTrue();

        Groups.Listing aliceSees = groups().list(alice);
        assertThat(aliceSees.owned()).singleElement().satisfies(g -> {
            assertThat(g.uid()).isEqualTo(uid);
            assertThat(g.metadata()).containsEntry("title", "Team");
            assertThat(g.members()).containsExactly(bob.username());
        });
        assertThat(aliceSees.memberOf()).extracting(Group::uid).containsExactly(DefaultGroups.USER);
        assertThat(aliceSees.publicGroups()).extracting(Group::uid).containsExactly(DefaultGroups.USER, DefaultGroups.TEMP);
        assertThat(groups().list(bob).memberOf()).extracting(Group::uid).contains(uid);
        assertThat(groups().publicGroups()).containsExactly(Map.entry("user", DefaultGroups.USER),
                Map.entry("temp", DefaultGroups.TEMP));

        assertThat(apiError(() -> groups().addUsers(as(bob), uid, List.of(alice.username()))).code()).isEqualTo("forbidden");
        assertThat(apiError(() -> groups().addUsers(as(alice), "no-such-group", List.of())).status()).isEqualTo(422);
        assertThat(apiError(() -> groups().addUsers(as(alice), uid, List.of("nobody_here"))).code())
                .isEqualTo("user_does_not_exist");
        assertThat(apiError(() -> perms().grantUserToGroup(as(bob), uid, "fs:" + n + ":read", Map.of())).code())
                .isEqualTo("permission_denied");

        groups().removeUsers(as(alice), uid, List.of(bob.username()));
        assertThat(perms().check(as(bob), "fs:" + n + ":read")).isFalse();
        perms().revokeUserToGroup(as(alice), uid, "fs:" + n + ":read");
    }

    @Test
    void pathsAreRewrittenToUidsWhereverAPermissionIsInput() {
        User alice = newUser();
        User bob = newUser();
        String n = node(alice);
        String path = "/" + alice.username() + "/Documents/a:b.txt";
        above.paths.put(path, n);
        String byPath = Permission.of("fs", path, "read").raw();

        perms().grantUserToUser(as(alice), bob.username(), byPath, Map.of());
        assertThat(perms().list(bob).userToMyself()).extracting(Permissions.Grantee::permission)
                .containsExactly("fs:" + n + ":read");
        assertThat(perms().checkAll(as(bob), List.of(byPath, "fs:" + n + ":read", "fs:/no/such/file:read")))
                .containsExactly(Map.entry(byPath, true), Map.entry("fs:" + n + ":read", true),
                        Map.entry("fs:/no/such/file:read", false));
        ApiError missing = apiError(() -> perms().grantUserToUser(as(alice), bob.username(), "fs:/no/such/file:read", Map.of()));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.code()).isEqualTo("subject_does_not_exist");
    }

    @Test
    void aUserCreatesAtMostTwentyGroupsAnHour() {
        User alice = newUser();
        for (int i = 0; i < Groups.CREATIONS_PER_HOUR; i++) {
            groups().create(as(alice), Map.of());
        }
        ApiError e = apiError(() -> groups().create(as(alice), Map.of()));
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.code()).isEqualTo("too_many_requests");
    }

    @Test
    void aGrantOrRevocationReachesTheOtherInstanceAtItsNextPoll() {
        Kernel second = secondInstance();
        Permissions there = second.services().get(Permissions.class);
        User alice = newUser();
        User bob = newUser();
        String n = node(alice);
        perms().grantUserToUser(as(alice), bob.username(), "fs:" + n + ":read", Map.of());
        second.services().get(CacheEpoch.class).poll();
        assertThat(there.check(as(bob), "fs:" + n + ":read")).isTrue();

        perms().revokeUserToUser(as(alice), bob.username(), "fs:" + n + ":read");
        second.services().get(CacheEpoch.class).poll();
        assertThat(there.check(as(bob), "fs:" + n + ":read")).isFalse();
    }

    // --- The filesystem ACL (spec 3.11) -------------------------------------------------------------------------

    AclNode file(User owner, String path, String uid, AclNode.Ancestor... ancestors) {
        above.nodeOwners.put(uid, owner.id());
        return new AclNode(uid, path, owner.id(), List.of(ancestors));
    }

    @Test
    void theRootIsReadableByAllAndWritableByNone() {
        User alice = newUser();
        assertThat(acl().check(as(alice), AclNode.ROOT, AccessMode.LIST)).isTrue();
        assertThat(acl().check(as(alice), AclNode.ROOT, AccessMode.READ)).isTrue();
        assertThat(acl().check(as(alice), AclNode.ROOT, AccessMode.WRITE)).isFalse();
        assertThat(acl().check(SystemActor.INSTANCE, AclNode.ROOT, AccessMode.WRITE)).isTrue();
    }

    @Test
    void homesAppDataAndTheAncestorWalk() {
        User alice = newUser();
        User bob = newUser();
        AclNode.Ancestor docs = new AclNode.Ancestor(node(alice), alice.id());
        AclNode.Ancestor home = new AclNode.Ancestor(node(alice), alice.id());
        AclNode report = file(alice, "/" + alice.username() + "/Documents/report.txt", node(alice), docs, home);

        assertThat(acl().check(as(alice), report, AccessMode.MANAGE)).isTrue();
        assertThat(acl().check(as(bob), report, AccessMode.SEE)).isFalse();
        assertThatThrownBy(() -> acl().require(as(bob), report, AccessMode.READ)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.body()).containsEntry("code", "subject_does_not_exist")
                        .containsEntry("message", "File or directory not found."));

        // A grant on an ancestor reaches the descendants.
        perms().grantUserToUser(as(alice), bob.username(), "fs:" + docs.uid() + ":read", Map.of());
        assertThat(acl().check(as(bob), report, AccessMode.READ)).isTrue();
        assertThat(acl().check(as(bob), report, AccessMode.WRITE)).isFalse();
        assertThatThrownBy(() -> acl().require(as(bob), report, AccessMode.WRITE))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("forbidden"));

        // An app: its own AppData, the same app's AppData of others if the user may, and nothing of the user's else.
        above.addApp("app-acl", Optional.empty());
        AppUnderUserActor app = new AppUnderUserActor(alice, "app-acl", Optional.empty());
        AclNode appData = file(alice, "/" + alice.username() + "/AppData/app-acl/state.json", node(alice));
        assertThat(acl().check(app, appData, AccessMode.WRITE)).isTrue();
        assertThat(acl().check(app, report, AccessMode.READ)).isFalse();
        perms().grantUserToApp(as(alice), "app-acl", "fs:" + report.uid() + ":read", Map.of());
        assertThat(acl().check(app, report, AccessMode.READ)).isTrue();
        AclNode bobsAppData = file(bob, "/" + bob.username() + "/AppData/app-acl/shared.json", node(bob));
        assertThat(acl().check(app, bobsAppData, AccessMode.READ)).isFalse(); // alice may not read bob's files
        perms().grantUserToUser(as(bob), alice.username(), "fs:" + bobsAppData.uid() + ":write", Map.of());
        assertThat(acl().check(app, bobsAppData, AccessMode.WRITE)).isTrue();
    }

    @Test
    void accessTokensNeedTheExactModeOnTheEntryOrAnAncestor() {
        User alice = newUser();
        AclNode.Ancestor dir = new AclNode.Ancestor(node(alice), alice.id());
        AclNode f = file(alice, "/" + alice.username() + "/Documents/a.txt", node(alice), dir);
        Actor token = get(Authenticator.class).authenticate(accessTokens().create(as(alice),
                List.of(AccessTokens.Requested.of("fs:" + dir.uid() + ":write")), Optional.empty()));

        assertThat(acl().check(token, f, AccessMode.WRITE)).isTrue();
        assertThat(acl().check(token, f, AccessMode.READ)).isFalse(); // no level explosion here (compat)
    }

    @Test
    void publicFoldersOfConfirmedOwnersAreReadable() {
        User alice = newUser();
        User bob = newUser();
        AclNode pub = file(alice, "/" + alice.username() + "/Public/index.html", node(alice));
        assertThat(acl().check(as(bob), pub, AccessMode.READ)).isFalse(); // email not confirmed
        users().confirmEmail(alice.id(), alice.email().orElseThrow());
        assertThat(acl().check(as(bob), pub, AccessMode.READ)).isTrue();
        assertThat(acl().check(as(bob), pub, AccessMode.WRITE)).isFalse();
        AclNode home = file(alice, "/" + alice.username(), node(alice));
        assertThat(acl().check(as(bob), home, AccessMode.READ)).isFalse();
    }
}
