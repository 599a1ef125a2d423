-- Hosted sites (spec 5.1). Hearth keeps references as public ids rather than foreign row ids: the root directory by
-- its filesystem uuid (it survives moves and renames), apps by their uids (the apps table belongs to another module).
-- subdomain and domain are UNIQUE (upstream enforces uniqueness in code only). created: epoch seconds.
-- Rows go with their owner through the user.deleting event, as the other modules' data does.
CREATE TABLE subdomains (
    id                 BIGSERIAL PRIMARY KEY,
    uuid               TEXT     NOT NULL UNIQUE,
    subdomain          TEXT     NOT NULL UNIQUE,
    user_id            BIGINT   NOT NULL,
    root_dir_uid       TEXT,
    associated_app_uid TEXT,
    app_owner_uid      TEXT,
    protected          SMALLINT NOT NULL DEFAULT 0,
    domain             TEXT UNIQUE,
    created            BIGINT   NOT NULL
);

CREATE INDEX subdomains_user ON subdomains (user_id, id);
CREATE INDEX subdomains_root ON subdomains (root_dir_uid);
