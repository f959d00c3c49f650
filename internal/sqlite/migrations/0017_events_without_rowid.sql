-- The inbound-event ledger is written once per event and read only by
-- its key, so it need not be a rowid table with its key kept beside it
-- in an index: clustered on (workspace, event), an event's insert writes
-- two B-trees (the table and the index by time that pruning walks)
-- instead of three. Rows are tiny, which is where WITHOUT ROWID pays.
CREATE TABLE inbound_events_keyed (
    workspace TEXT NOT NULL,
    event     TEXT NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (workspace, event)
) STRICT, WITHOUT ROWID;
INSERT INTO inbound_events_keyed (workspace, event, at) SELECT workspace, event, at FROM inbound_events;
DROP TABLE inbound_events;
ALTER TABLE inbound_events_keyed RENAME TO inbound_events;
CREATE INDEX inbound_events_at ON inbound_events (at);
