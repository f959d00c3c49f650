-- The claim's indexes (outbox.go): a claim reads the due rows in
-- (next_attempt, id) order and stops at its limit. Indexed on next_attempt
-- alone, a wave queued by one save (every row due at one instant) had to
-- be sorted whole by id on every claim; with id in the index the claim
-- reads only the rows it takes. DueNotices reads the same order.
DROP INDEX outbox_unsent;
CREATE INDEX outbox_unsent ON outbox (next_attempt, id) WHERE sent_at IS NULL;
DROP INDEX outbox_replies;
CREATE INDEX outbox_replies ON outbox (next_attempt, id) WHERE sent_at IS NULL AND kind = 'reply';
