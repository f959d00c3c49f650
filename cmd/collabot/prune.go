package main

import (
	"context"
	"time"

	"github.com/collabot/collabot/internal/store"
)

// How the periodic prune paces itself. Variables so a test can run it
// in milliseconds.
var (
	// pruneEvery is how often serve deletes expired rows: tables grow by
	// a few thousand rows a day, so a few times an hour keeps each round
	// to a handful of batches.
	pruneEvery = 10 * time.Minute
	// pruneGap separates batches within a round, leaving the write
	// connection to the events that queued behind one.
	pruneGap = 50 * time.Millisecond
)

// prune deletes received event ids and sent notices past their retention
// (retention.events, retention.sent), a batch at a time, until ctx is
// done. A failure is logged and retried on the next round: it never
// stops the service, which needs none of these rows.
func (s *service) prune(ctx context.Context) error {
	log := s.e.log.WithGroup("prune")
	keep := s.e.cfg.Retention
	t := time.NewTimer(time.Second) // the first round soon after start
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		events, sent, err := s.pruneRound(ctx, keep.EventsAge(), keep.SentAge())
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			log.Warn("pruning expired rows failed; trying again next round", "err", err)
		case events+sent > 0:
			log.Info("expired rows pruned", "events", events, "sent_notices", sent)
		}
		t.Reset(pruneEvery)
	}
}

// pruneRound runs batches until one comes back short.
func (s *service) pruneRound(ctx context.Context, eventsAge, sentAge time.Duration) (events, sent int, err error) {
	for {
		now := s.clock.Now()
		e, n, err := s.store.Prune(ctx, now.Add(-eventsAge), now.Add(-sentAge), store.PruneBatch)
		events, sent = events+e, sent+n
		if err != nil || (e < store.PruneBatch && n < store.PruneBatch) {
			return events, sent, err
		}
		select {
		case <-ctx.Done():
			return events, sent, nil
		case <-time.After(pruneGap):
		}
	}
}
