-- The scheduler's next-due index: per collaboration, the next instant at
-- which any of its timers may fire (Unix seconds; NULL for none until it
-- changes), as of the version the scheduler evaluated. A scan reads the
-- rows due by its instant, not every open collaboration.
CREATE TABLE next_due (
    workspace TEXT NOT NULL,
    collab    INTEGER NOT NULL,
    due_at    INTEGER,
    version   INTEGER NOT NULL,
    PRIMARY KEY (workspace, collab)
) STRICT, WITHOUT ROWID;
CREATE INDEX next_due_by_time ON next_due (workspace, due_at);

-- What the instants were computed with (the scheduler's policy and
-- calendar): another basis makes every collaboration due once.
CREATE TABLE next_due_basis (
    workspace TEXT PRIMARY KEY,
    basis     TEXT NOT NULL
) STRICT;

-- Every save makes the collaboration due at once, whoever writes it: an
-- edit that moves a timer earlier (a task due sooner, a tuned reminder)
-- is looked at by the next scan, and no writer has to remember it.
CREATE TRIGGER next_due_on_insert AFTER INSERT ON collaborations BEGIN
    INSERT OR REPLACE INTO next_due (workspace, collab, due_at, version) VALUES (NEW.workspace, NEW.id, 0, 0);
END;
CREATE TRIGGER next_due_on_update AFTER UPDATE OF version, status ON collaborations BEGIN
    INSERT OR REPLACE INTO next_due (workspace, collab, due_at, version) VALUES (NEW.workspace, NEW.id, 0, 0);
END;
CREATE TRIGGER next_due_on_delete AFTER DELETE ON collaborations BEGIN
    DELETE FROM next_due WHERE workspace = OLD.workspace AND collab = OLD.id;
END;

-- Collaborations saved before the index existed are due at the first scan.
INSERT INTO next_due (workspace, collab, due_at, version) SELECT workspace, id, 0, 0 FROM collaborations;
