-- Every table carries the workspace (tenant) in its key, and every query
-- filters on it: nothing of one workspace is reachable from another.

-- Identifier sequences: COL-n, T-n, M-n, R-n are numbered per workspace.
CREATE TABLE sequences (
    workspace TEXT NOT NULL,
    kind      TEXT NOT NULL,
    value     INTEGER NOT NULL,
    PRIMARY KEY (workspace, kind)
) STRICT;

-- A collaboration is stored as one document (the aggregate the lifecycle
-- rules work on: request, acknowledgements, meetings, tasks, risks,
-- deliveries) plus the columns that lists and the scheduler filter on.
CREATE TABLE collaborations (
    workspace   TEXT NOT NULL,
    id          INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    status      TEXT NOT NULL,
    topic       TEXT NOT NULL,
    requester   TEXT NOT NULL,
    coordinator TEXT NOT NULL,
    due         TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    body        TEXT NOT NULL CHECK (json_valid(body)),
    PRIMARY KEY (workspace, id)
) STRICT;
CREATE INDEX collaborations_by_status ON collaborations (workspace, status);

-- Which collaboration a task, meeting or risk number belongs to. The key
-- also keeps a number from being used twice in a workspace.
CREATE TABLE refs (
    workspace TEXT NOT NULL,
    kind      TEXT NOT NULL,
    number    INTEGER NOT NULL,
    collab    INTEGER NOT NULL,
    PRIMARY KEY (workspace, kind, number),
    FOREIGN KEY (workspace, collab) REFERENCES collaborations (workspace, id)
) STRICT;

CREATE TABLE timeline (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace TEXT NOT NULL,
    collab    INTEGER NOT NULL,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    note      TEXT NOT NULL,
    FOREIGN KEY (workspace, collab) REFERENCES collaborations (workspace, id)
) STRICT;
CREATE INDEX timeline_by_collab ON timeline (workspace, collab, seq);

-- One progress update per person per business day per collaboration.
CREATE TABLE progress (
    workspace TEXT NOT NULL,
    collab    INTEGER NOT NULL,
    person    TEXT NOT NULL,
    day       TEXT NOT NULL,
    at        TEXT NOT NULL,
    body      TEXT NOT NULL CHECK (json_valid(body)),
    PRIMARY KEY (workspace, collab, day, person),
    FOREIGN KEY (workspace, collab) REFERENCES collaborations (workspace, id)
) STRICT;

-- Notifications waiting to be sent. The key makes enqueueing idempotent.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace    TEXT NOT NULL,
    key          TEXT NOT NULL,
    collab       INTEGER NOT NULL,
    recipient    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    body         TEXT NOT NULL CHECK (json_valid(body)),
    created_at   TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt TEXT NOT NULL,
    last_error   TEXT NOT NULL DEFAULT '',
    sent_at      TEXT,
    UNIQUE (workspace, key)
) STRICT;
CREATE INDEX outbox_unsent ON outbox (next_attempt) WHERE sent_at IS NULL;

-- Every timer firing, at most once per (timer, entity, due slot).
CREATE TABLE reminders (
    workspace TEXT NOT NULL,
    timer     TEXT NOT NULL,
    entity    TEXT NOT NULL,
    slot      TEXT NOT NULL,
    collab    INTEGER NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (workspace, timer, entity, slot)
) STRICT;

-- Inbound events already applied, so a redelivered one changes nothing.
CREATE TABLE inbound_events (
    workspace TEXT NOT NULL,
    event     TEXT NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (workspace, event)
) STRICT;

-- People met on first contact who are not in configuration.
CREATE TABLE people (
    workspace TEXT NOT NULL,
    id        TEXT NOT NULL,
    name      TEXT NOT NULL,
    lang      TEXT NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (workspace, id)
) STRICT;

CREATE TABLE identities (
    workspace   TEXT NOT NULL,
    platform    TEXT NOT NULL,
    platform_id TEXT NOT NULL,
    person      TEXT NOT NULL,
    PRIMARY KEY (workspace, platform, platform_id),
    FOREIGN KEY (workspace, person) REFERENCES people (workspace, id)
) STRICT;
