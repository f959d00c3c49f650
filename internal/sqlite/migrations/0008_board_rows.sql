-- The parts of collaborations that the web board lists and the
-- department figures count, as rows maintained on every save, so that no
-- page decodes (or has SQLite parse) every document. Times are kept as
-- encoding/json writes them, read back exactly, and where a query
-- compares or orders them also as Unix seconds (*_unix).

-- Every task, whatever its status.
CREATE TABLE tasks (
    workspace  TEXT NOT NULL,
    task       INTEGER NOT NULL,
    collab     INTEGER NOT NULL,
    department TEXT NOT NULL,
    owner      TEXT NOT NULL,
    status     TEXT NOT NULL,
    due        TEXT NOT NULL,
    due_unix   REAL NOT NULL,
    done_at    TEXT NOT NULL,
    -- the collaboration reached the departments (the figures count it)
    reached    INTEGER NOT NULL,
    PRIMARY KEY (workspace, task),
    FOREIGN KEY (workspace, collab) REFERENCES collaborations (workspace, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX tasks_by_collab ON tasks (workspace, collab);
-- The figures' tasks by due date, read from the index alone.
CREATE INDEX tasks_counted_by_due ON tasks (workspace, due_unix, department, status, done_at)
    WHERE reached AND status != 'cancelled';
CREATE INDEX tasks_open_by_owner ON tasks (workspace, owner, due_unix, collab) WHERE status NOT IN ('done', 'cancelled');

-- Every department's acknowledgement.
CREATE TABLE acks (
    workspace  TEXT NOT NULL,
    collab     INTEGER NOT NULL,
    department TEXT NOT NULL,
    status     TEXT NOT NULL,
    asked_at   TEXT NOT NULL,
    asked_unix REAL NOT NULL,
    at         TEXT NOT NULL,
    -- the figures count it: the collaboration reached the departments,
    -- and was not cancelled while this one was pending
    counted    INTEGER NOT NULL,
    FOREIGN KEY (workspace, collab) REFERENCES collaborations (workspace, id)
) STRICT;
CREATE INDEX acks_by_collab ON acks (workspace, collab);
CREATE INDEX acks_counted_by_asked ON acks (workspace, asked_unix, collab, department, status, asked_at, at) WHERE counted;

-- Every risk and issue.
CREATE TABLE risks (
    workspace  TEXT NOT NULL,
    risk       INTEGER NOT NULL,
    collab     INTEGER NOT NULL,
    department TEXT NOT NULL,
    severity   TEXT NOT NULL,
    status     TEXT NOT NULL,
    reached    INTEGER NOT NULL,
    PRIMARY KEY (workspace, risk),
    FOREIGN KEY (workspace, collab) REFERENCES collaborations (workspace, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX risks_by_collab ON risks (workspace, collab);

-- The needs-help entries of a period, without reading the whole timeline.
CREATE INDEX timeline_by_action ON timeline (workspace, action, at);

-- Whether anything in a collaboration waits for someone
-- (bot.Collaboration.Awaits): "what waits for me" reads only these.
ALTER TABLE collaborations ADD COLUMN awaits INTEGER NOT NULL DEFAULT 0;
-- (A column added last sits after the document: found by index, not by
-- reading every row to its end.)
CREATE INDEX collaborations_awaiting ON collaborations (workspace, id) WHERE awaits;

-- A collaboration's status by its number, without reading its document:
-- the rows above are joined to it.
CREATE INDEX collaborations_status_by_id ON collaborations (workspace, id, status);

INSERT OR IGNORE INTO tasks (workspace, task, collab, department, owner, status, due, due_unix, done_at, reached)
SELECT c.workspace, t.value ->> '$.id', c.id, coalesce(t.value ->> '$.department', ''), coalesce(t.value ->> '$.owner', ''),
    coalesce(t.value ->> '$.status', ''),
    -- a task without a date has Go's zero time in its document: none here, as Save writes it
    iif(coalesce(t.value ->> '$.due', '') LIKE '0001-01-01%', '', coalesce(t.value ->> '$.due', '')),
    iif(coalesce(t.value ->> '$.due', '') LIKE '0001-01-01%', 0, coalesce(unixepoch(t.value ->> '$.due', 'subsec'), 0)),
    coalesce(t.value ->> '$.done_at', ''),
    c.status IN ('awaiting_ack', 'active', 'accepting', 'retrospective', 'archived', 'cancelled')
FROM collaborations c, json_each(c.body, '$.tasks') t WHERE t.type = 'object';

INSERT INTO acks (workspace, collab, department, status, asked_at, asked_unix, at, counted)
SELECT c.workspace, c.id, coalesce(a.value ->> '$.department', ''), coalesce(a.value ->> '$.status', ''),
    coalesce(a.value ->> '$.asked_at', ''), coalesce(unixepoch(a.value ->> '$.asked_at', 'subsec'), 0), coalesce(a.value ->> '$.at', ''),
    c.status IN ('awaiting_ack', 'active', 'accepting', 'retrospective', 'archived', 'cancelled')
        AND NOT (c.status = 'cancelled' AND a.value ->> '$.status' = 'pending')
FROM collaborations c, json_each(c.body, '$.acknowledgements') a WHERE a.type = 'object';

INSERT OR IGNORE INTO risks (workspace, risk, collab, department, severity, status, reached)
SELECT c.workspace, k.value ->> '$.id', c.id, coalesce(k.value ->> '$.department', ''), coalesce(k.value ->> '$.severity', ''),
    coalesce(k.value ->> '$.status', ''), c.status IN ('awaiting_ack', 'active', 'accepting', 'retrospective', 'archived', 'cancelled')
FROM collaborations c, json_each(c.body, '$.risks') k WHERE k.type = 'object';

-- A superset of Awaits (minutes count until the next save rewrites it).
UPDATE collaborations SET awaits = 1 WHERE status IN ('rejected', 'in_review', 'accepting')
    OR (status NOT IN ('draft', 'archived', 'cancelled') AND (
        EXISTS (SELECT 1 FROM json_each(body, '$.acknowledgements') a WHERE a.value ->> '$.status' != 'accepted')
        OR EXISTS (SELECT 1 FROM json_each(body, '$.tasks') t
            WHERE t.value ->> '$.due_request' IS NOT NULL AND t.value ->> '$.status' NOT IN ('done', 'cancelled'))
        OR EXISTS (SELECT 1 FROM json_each(body, '$.meetings') m
            WHERE m.value ->> '$.minutes' IS NOT NULL AND NOT coalesce(m.value ->> '$.cancelled', 0))));
