package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/collabot/collabot/internal/store"
)

// Prune deletes, in the store's workspaces, up to batch received event
// ids recorded before eventsBefore and up to batch notices sent before
// sentBefore, each in a short statement of its own. It reports how many
// it deleted of each; a caller repeats it while a count equals batch.
// Replicas pruning at once pass over each other's rows (SKIP LOCKED)
// rather than wait for them.
//
// An event id only catches a platform's redelivery, which comes within
// minutes (Slack) or hours (DingTalk); a sent notice's row only keeps its
// key from being queued again, and reminders are kept from repeating by
// their own ledger, which is never pruned. Unsent notices, however old,
// stay.
func (s *Store) Prune(ctx context.Context, eventsBefore, sentBefore time.Time, batch int) (events, sent int, err error) {
	if batch <= 0 {
		batch = store.PruneBatch
	}
	scope, arg := s.scoped(3)
	tag, err := s.pool.Exec(ctx, `DELETE FROM inbound_events WHERE (workspace, event) IN (
		SELECT workspace, event FROM inbound_events WHERE at < $1 AND `+scope+`
		ORDER BY at LIMIT $2 FOR UPDATE SKIP LOCKED)`, eventsBefore, batch, arg)
	if err != nil {
		return 0, 0, fmt.Errorf("postgres: prune events: %w", err)
	}
	events = int(tag.RowsAffected())
	tag, err = s.pool.Exec(ctx, `DELETE FROM outbox WHERE id IN (
		SELECT id FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1 AND `+scope+`
		ORDER BY sent_at LIMIT $2 FOR UPDATE SKIP LOCKED)`, sentBefore, batch, arg)
	if err != nil {
		return events, 0, fmt.Errorf("postgres: prune sent notices: %w", err)
	}
	return events, int(tag.RowsAffected()), nil
}
