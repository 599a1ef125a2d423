package dev.hearth.fs;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.hearth.core.UserEvents;
import dev.hearth.core.Users;
import dev.hearth.kernel.Service;
import dev.hearth.kernel.ServiceContext;

/**
 * Keeps every account's folders in step with the account (filesystem.md 1.9): a new user gets a home with its
 * default directories before signup answers (the event bus waits for its listeners), and the user row records
 * their uuids; a new username moves the home; a deleted user leaves no file behind. Core announces these as
 * events, so that it does not depend on the filesystem.
 */
final class AccountFolders implements Service {

    private final ServiceContext context;

    AccountFolders(ServiceContext context) {
        this.context = context;
    }

    @Override
    public void init() {
        Filesystem fs = context.services().get(Filesystem.class);
        Users users = context.services().get(Users.class);
        context.events().on(UserEvents.CREATED, (key, data, meta) -> {
            UserEvents.Created created = (UserEvents.Created) data;
            FsUser user = new FsUser(created.userId(), created.username());
            fs.createHome(user);
            Map<String, String> folders = new LinkedHashMap<>();
            for (String name : Filesystem.HOME_DIRECTORIES) {
                fs.lookup(NodeRef.parse("path", "/" + created.username() + "/" + name, created.username()))
                        .ifPresent(e -> folders.put(name.toLowerCase(Locale.ROOT), e.uuid()));
            }
            users.setFolders(created.userId(), folders);
        });
        context.events().on(UserEvents.USERNAME_CHANGED, (key, data, meta) -> {
            UserEvents.UsernameChanged changed = (UserEvents.UsernameChanged) data;
            fs.renameHome(new FsUser(changed.userId(), changed.newUsername()), changed.oldUsername());
        });
        context.events().on(UserEvents.DELETING, (key, data, meta) -> {
            UserEvents.Deleted deleted = (UserEvents.Deleted) data;
            fs.deleteEverythingOf(new FsUser(deleted.userId(), deleted.username()));
        });
    }
}
