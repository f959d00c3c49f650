package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/collabot/collabot/internal/store"
)

// PruneBatch is how many rows of each table one Prune deletes at most: a
// few milliseconds of the write lock, so an event arriving meanwhile
// waits no longer than for any other short transaction.
const PruneBatch = store.PruneBatch

// Prune deletes, in the store's workspaces, up to batch received event
// ids recorded before eventsBefore and up to batch notices sent before
// sentBefore, each in its own short transaction. It reports how many it
// deleted of each; a caller repeats it while a count equals batch.
//
// An event id only catches a platform's redelivery, which comes within
// minutes (Slack) or hours (DingTalk); a sent notice's row only keeps its
// key from being queued again, and reminders are kept from repeating by
// their own ledger, which is never pruned.
func (s *Store) Prune(ctx context.Context, eventsBefore, sentBefore time.Time, batch int) (events, sent int, err error) {
	if batch <= 0 {
		batch = PruneBatch
	}
	scope, arg := s.scoped()
	if events, err = s.prune(ctx, `DELETE FROM inbound_events WHERE (workspace, event) IN (SELECT workspace, event FROM inbound_events
		WHERE at < ? AND `+scope+` ORDER BY at LIMIT ?)`, stamp(eventsBefore), arg, batch); err != nil {
		return 0, 0, fmt.Errorf("sqlite: prune events: %w", err)
	}
	if sent, err = s.prune(ctx, `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox
		WHERE sent_at IS NOT NULL AND sent_at < ? AND `+scope+` ORDER BY sent_at LIMIT ?)`, stamp(sentBefore), arg, batch); err != nil {
		return events, 0, fmt.Errorf("sqlite: prune sent notices: %w", err)
	}
	return events, sent, nil
}

func (s *Store) prune(ctx context.Context, query string, args ...any) (int, error) {
	res, err := s.write.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
