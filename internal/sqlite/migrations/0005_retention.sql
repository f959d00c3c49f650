-- The periodic prune deletes received event ids and sent notices older
-- than their retention, a small batch at a time; these keep each batch an
-- index range instead of a scan of the whole table.
CREATE INDEX inbound_events_at ON inbound_events (at);
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
