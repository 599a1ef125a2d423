-- Facts about this installation that outlive a restart and are shared by every instance of a deployment
-- (for example the version the schema was created by, or a generated instance id). Plain text values:
-- callers own their format.
CREATE TABLE hearth_instance (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
