package dev.hearth.fs;

import java.util.Map;
import java.util.Optional;

import dev.hearth.core.ProfileField;
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

    private static final Map<String, ProfileField> RECORDED = Map.of(
            "Desktop", ProfileField.DESKTOP_UUID, "AppData", ProfileField.APPDATA_UUID,
            "Documents", ProfileField.DOCUMENTS_UUID, "Pictures", ProfileField.PICTURES_UUID,
            "Videos", ProfileField.VIDEOS_UUID, "Trash", ProfileField.TRASH_UUID, "Public", ProfileField.PUBLIC_UUID);

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
            for (Map.Entry<String, ProfileField> dir : RECORDED.entrySet()) {
                String path = "/" + created.username() + "/" + dir.getKey();
                fs.lookup(NodeRef.parse("path", path, created.username()))
                        .ifPresent(e -> users.setProfile(created.userId(), dir.getValue(), Optional.of(e.uuid())));
            }
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
