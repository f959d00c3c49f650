-- When a send of the row began whose outcome was never recorded: set just
-- before a send starts, cleared when the platform certainly did not take
-- it. A row with tried_at set and sent_at unset is in doubt after a crash
-- (the platform may have it), and the dispatcher asks the platform before
-- sending it again.
ALTER TABLE outbox ADD COLUMN tried_at TEXT;
