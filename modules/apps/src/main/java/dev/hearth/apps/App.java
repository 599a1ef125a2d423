package dev.hearth.apps;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An app of the registry (spec 4.1), as stored.
 *
 * @param id internal id, never sent to clients by {@code puter-apps} (raw rows in {@code suggested_apps} carry it)
 * @param uid {@code app-<uuid>}
 * @param ownerUserId absent for built-in apps and origins' bootstrap apps
 * @param icon empty, a {@code data:image/...} URL, or {@code /app-icon/<uid>} when the icon is stored
 * @param appOwner the internal id of the app that created this one, if an app did
 * @param metadata the JSON object as text
 * @param filetypeAssociations extensions without the dot, lower case
 */
public record App(long id, String uid, Optional<Long> ownerUserId, String icon, String name, String title,
        Optional<String> description, boolean godmode, boolean maximizeOnStart, String indexUrl,
        boolean approvedForListing, boolean approvedForOpeningItems, boolean approvedForIncentiveProgram,
        Instant createdAt, Optional<String> tags, Optional<Long> appOwner, boolean background,
        Optional<String> metadata, boolean isProtected, boolean isPrivate, List<String> filetypeAssociations) {

    public App {
        Objects.requireNonNull(uid);
        Objects.requireNonNull(ownerUserId);
        Objects.requireNonNull(icon);
        Objects.requireNonNull(name);
        Objects.requireNonNull(title);
        Objects.requireNonNull(description);
        Objects.requireNonNull(indexUrl);
        Objects.requireNonNull(createdAt);
        Objects.requireNonNull(tags);
        Objects.requireNonNull(appOwner);
        Objects.requireNonNull(metadata);
        filetypeAssociations = List.copyOf(filetypeAssociations);
    }

    /** Whether {@code userId} owns the app. */
    public boolean ownedBy(long userId) {
        return ownerUserId.isPresent() && ownerUserId.get() == userId;
    }

    /** The icon is in the blob store, served by {@code /app-icon/<uid>}. */
    boolean iconStored() {
        return icon.startsWith(AppIcons.MARKER_PREFIX);
    }
}
