package dev.hearth.core;

/**
 * The SQL dialect of the configured database. Code that must write engine-specific SQL (identity columns,
 * upserts that differ, date functions) switches on it; migrations pick their dialect folder by it.
 */
public enum Dialect {
    /** The embedded default: one SQLite file in the data directory. */
    SQLITE("sqlite"),
    /** PostgreSQL, shared by every instance of a scaled-out deployment. */
    POSTGRES("postgres");

    private final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    /** The migration sub-folder for SQL that only this dialect understands; also its name in the configuration. */
    String folder() {
        return folder;
    }
}
