package dev.hearth.core;

/**
 * The plain text columns of a user that other modules and the GUI set, through {@link Users#setProfile}. (The
 * default folders' uuids are recorded with {@link Users#setFolders}.)
 */
public enum ProfileField {
    TASKBAR_ITEMS("taskbar_items"),
    DESKTOP_BG_URL("desktop_bg_url"),
    DESKTOP_BG_COLOR("desktop_bg_color"),
    DESKTOP_BG_FIT("desktop_bg_fit"),
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
