-- Replies (the answers to what people just said) are claimed before
-- notices that fell due earlier, so that a 17:00 wave waiting for the
-- platform's rate does not hold answers back. This index finds the due
-- replies without reading the wave.
CREATE INDEX outbox_replies ON outbox (next_attempt) WHERE sent_at IS NULL AND kind = 'reply';
