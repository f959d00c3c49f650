-- A half-filled form, one per person per channel, so a restart in the
-- middle of a dialog continues where it stopped. The state is the
-- engine's, kept as a JSON document.
CREATE TABLE dialogs (
    workspace  TEXT NOT NULL,
    channel    TEXT NOT NULL,
    person     TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (json_valid(state)),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (workspace, channel, person)
) STRICT;

-- What a person chose for themselves: the language they read and, for
-- people not in configuration, the department they said they belong to.
CREATE TABLE person_settings (
    workspace  TEXT NOT NULL,
    person     TEXT NOT NULL,
    lang       TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (workspace, person)
) STRICT;
