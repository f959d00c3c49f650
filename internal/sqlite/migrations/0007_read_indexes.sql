-- Indexes for how collaborations and people are read, so that no request
-- decodes collaborations it does not show and nothing scans everyone.

-- Who takes part in which collaboration and how, maintained on every
-- save. "My collaborations" and "my tasks" are answered from here.
-- Roles: requester, coordinator, contact, owner (of any task), open_task
-- (owner of a task not done or cancelled), collaborator, organiser,
-- attendee.
CREATE TABLE participants (
    workspace TEXT NOT NULL,
    person    TEXT NOT NULL,
    collab    INTEGER NOT NULL,
    role      TEXT NOT NULL,
    PRIMARY KEY (workspace, person, collab, role),
    FOREIGN KEY (workspace, collab) REFERENCES collaborations (workspace, id)
) STRICT, WITHOUT ROWID;
-- A save replaces the rows of one collaboration.
CREATE INDEX participants_by_collab ON participants (workspace, collab);

INSERT OR IGNORE INTO participants (workspace, person, collab, role)
SELECT workspace, person, id, role FROM (
    SELECT workspace, id, requester AS person, 'requester' AS role FROM collaborations
    UNION ALL
    SELECT workspace, id, coordinator, 'coordinator' FROM collaborations
    UNION ALL
    SELECT c.workspace, c.id, d.value ->> '$.contact', 'contact'
        FROM collaborations c, json_each(c.body, '$.request.departments') d
    UNION ALL
    SELECT c.workspace, c.id, t.value ->> '$.owner', 'owner'
        FROM collaborations c, json_each(c.body, '$.tasks') t
    UNION ALL
    SELECT c.workspace, c.id, t.value ->> '$.owner', 'open_task'
        FROM collaborations c, json_each(c.body, '$.tasks') t
        WHERE t.value ->> '$.status' NOT IN ('done', 'cancelled')
    UNION ALL
    SELECT c.workspace, c.id, p.value, 'collaborator'
        FROM collaborations c, json_each(c.body, '$.tasks') t, json_each(t.value, '$.collaborators') p
    UNION ALL
    SELECT c.workspace, c.id, m.value ->> '$.organiser', 'organiser'
        FROM collaborations c, json_each(c.body, '$.meetings') m
    UNION ALL
    SELECT c.workspace, c.id, p.value, 'attendee'
        FROM collaborations c, json_each(c.body, '$.meetings') m, json_each(m.value, '$.attendees') p
) WHERE person IS NOT NULL AND person != '';

-- Which departments request a collaboration or are asked to assist
-- (roles requesting, asked), for what waits for a head or a contact.
CREATE TABLE collab_departments (
    workspace  TEXT NOT NULL,
    department TEXT NOT NULL,
    collab     INTEGER NOT NULL,
    role       TEXT NOT NULL,
    PRIMARY KEY (workspace, department, collab, role),
    FOREIGN KEY (workspace, collab) REFERENCES collaborations (workspace, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX collab_departments_by_collab ON collab_departments (workspace, collab);

INSERT OR IGNORE INTO collab_departments (workspace, department, collab, role)
SELECT workspace, department, id, role FROM (
    SELECT workspace, id, body ->> '$.requesting_department' AS department, 'requesting' AS role FROM collaborations
    UNION ALL
    SELECT c.workspace, c.id, d.value ->> '$.department', 'asked'
        FROM collaborations c, json_each(c.body, '$.request.departments') d
) WHERE department IS NOT NULL AND department != '';

-- The group chat a collaboration is discussed in, as a column: a group's
-- collaborations are found by index, not by reading every document.
ALTER TABLE collaborations ADD COLUMN grp TEXT NOT NULL DEFAULT '';
UPDATE collaborations SET grp = coalesce(body ->> '$.group', '');
CREATE INDEX collaborations_by_group ON collaborations (workspace, grp, id);

-- A person's platform identities, found by person (the primary key finds
-- the person behind an identity).
CREATE INDEX identities_by_person ON identities (workspace, person, platform);

-- The order people were registered in, per workspace: the largest number
-- is the workspace's people version, so a process keeps everyone in
-- memory and reads only those registered since it last looked.
ALTER TABLE people ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE people SET seq = n.seq FROM (
    SELECT rowid AS r, row_number() OVER (PARTITION BY workspace ORDER BY at, rowid) AS seq FROM people
) AS n WHERE people.rowid = n.r;
CREATE UNIQUE INDEX people_by_seq ON people (workspace, seq);
