package dev.hearth.fs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.hearth.core.Permissions;
import dev.hearth.core.Tokens;
import dev.hearth.core.UserActor;
import dev.hearth.fs.spi.AppSuggestions;
import dev.hearth.fs.spi.FsAccess;
import dev.hearth.kernel.ApiError;

/**
 * {@code /open_item} (filesystem.md 3.16) and the {@code suggested_apps} of listings, through the app registry's
 * {@link AppSuggestions} when a module provides it (the filesystem cannot depend on the apps module above it).
 * Opening grants the chosen app {@code fs:<uid>:<action>}: a user→app grant, which never gives the app more than
 * the user holds.
 */
final class OpenItem {

    private final Filesystem fs;
    private final FsSigned signed;
    private final Optional<AppSuggestions> apps;
    private final Permissions permissions;
    private final Tokens tokens;

    OpenItem(Filesystem fs, FsSigned signed, Optional<AppSuggestions> apps, Permissions permissions, Tokens tokens) {
        this.fs = fs;
        this.signed = signed;
        this.apps = apps;
        this.permissions = permissions;
        this.tokens = tokens;
    }

    /** The rows of the apps suggested for an entry; none without an app registry. */
    List<Map<String, Object>> suggested(FsUser user, Entry e) {
        return apps.map(a -> a.suggest(user.id(), e.name(), e.isDir()).stream().map(AppSuggestions.SuggestedApp::row)
                .toList()).orElse(List.of());
    }

    Map<String, Object> open(UserActor actor, FsUser user, Entry e) {
        List<AppSuggestions.SuggestedApp> suggested = apps.map(a -> a.suggest(user.id(), e.name(), e.isDir()))
                .orElse(List.of());
        if (suggested.isEmpty()) {
            throw ApiError.of(422, "no_suitable_app", "No suitable app found for " + FsErrors.quot(e.name()) + ".")
                    .with("entry_name", e.name());
        }
        String action = fs.allows(user, e, FsAccess.Mode.WRITE) ? "write" : "read";
        String app = suggested.getFirst().uid();
        permissions.grantUserToApp(actor, app, "fs:" + e.uuid() + ":" + action, Map.of());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("signature", signed.signed(e, action, true));
        out.put("token", tokens.issueAppUnderUser(actor.user().uuid(), app, actor.session()));
        out.put("suggested_apps", suggested.stream().map(s -> {
            Map<String, Object> row = new LinkedHashMap<>(s.row());
            for (String k : List.of("id", "approved_for_listing", "approved_for_opening_items",
                    "approved_for_incentive_program", "godmode", "owner_user_id")) {
                row.remove(k);
            }
            return row;
        }).toList());
        return out;
    }
}
