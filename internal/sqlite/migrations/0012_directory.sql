-- The organisation as the chat platforms' own directories know it
-- (`collabot directory sync`): DingTalk's departments and users, Slack's
-- users and the user groups mapped to departments. Each process merges it
-- under the configured organisation (the configuration wins). No row is
-- ever deleted: an account or department a sync no longer finds is marked
-- gone, so records keep the names of people who left.
CREATE TABLE directory_departments (
    workspace   TEXT NOT NULL,
    platform    TEXT NOT NULL,
    platform_id TEXT NOT NULL,
    name        TEXT NOT NULL,
    gone        TEXT NOT NULL DEFAULT '', -- when a sync stopped finding it; '' while it exists
    at          TEXT NOT NULL,            -- the sync that last changed the row
    PRIMARY KEY (workspace, platform, platform_id)
) STRICT;

CREATE TABLE directory_people (
    workspace   TEXT NOT NULL,
    platform    TEXT NOT NULL,
    platform_id TEXT NOT NULL,
    name        TEXT NOT NULL,
    departments TEXT NOT NULL, -- JSON array of the platform's department ids, sorted
    leads       TEXT NOT NULL, -- JSON array: those of them the person leads
    gone        TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL,
    PRIMARY KEY (workspace, platform, platform_id)
) STRICT;

-- version grows with every sync that changed something, so a process
-- rebuilds its directory only then (bot.Roster asks for it per event).
CREATE TABLE directory_versions (
    workspace TEXT PRIMARY KEY,
    version   INTEGER NOT NULL,
    synced    TEXT NOT NULL -- the last sync, whether it changed anything or not
) STRICT;
