package dev.hearth.core;

/** The plain text columns of a user that other modules and the GUI set, through {@link Users#setProfile}. */
public enum ProfileField {
    TASKBAR_ITEMS("taskbar_items"),
    DESKTOP_BG_URL("desktop_bg_url"),
    DESKTOP_BG_COLOR("desktop_bg_color"),
    DESKTOP_BG_FIT("desktop_bg_fit"),
    DESKTOP_UUID("desktop_uuid"),
    APPDATA_UUID("appdata_uuid"),
    DOCUMENTS_UUID("documents_uuid"),
    PICTURES_UUID("pictures_uuid"),
    VIDEOS_UUID("videos_uuid"),
    TRASH_UUID("trash_uuid"),
    PUBLIC_UUID("public_uuid"),
    REFERRAL_CODE("referral_code"),
    METADATA("metadata");

    private final String column;

    ProfileField(String column) {
        this.column = column;
    }

    String column() {
        return column;
    }
}
