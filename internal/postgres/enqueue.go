package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Enqueue writes notices to the outbox in this transaction (a notice
// whose key is there already is skipped) and counts those that were new.
// Claiming and sending them is the dispatcher's (outbox.go).
func (t *txn) Enqueue(ctx context.Context, notices ...bot.Notice) (int, error) {
	if err := t.writable(); err != nil {
		return 0, err
	}
	b := &pgx.Batch{}
	added, err := t.queueNotices(b, notices)
	if err != nil || b.Len() == 0 {
		return 0, err
	}
	if err := t.tx.SendBatch(ctx, b).Close(); err != nil {
		return 0, fmt.Errorf("postgres: enqueue %d notices: %w", len(notices), err)
	}
	return *added, nil
}

// queueNotices queues the insert of the notices, in their order, as one
// statement; *added is how many were new once the batch ran.
func (t *txn) queueNotices(b *pgx.Batch, notices []bot.Notice) (*int, error) {
	added := new(int)
	if len(notices) == 0 {
		return added, nil
	}
	now := t.now()
	n := len(notices)
	keys, recipients, kinds, bodies := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	collabs, next := make([]int64, n), make([]time.Time, n)
	for i, x := range notices {
		if x.Key == "" {
			return nil, fmt.Errorf("postgres: notice %s to %s has no key", x.Kind, x.Recipient())
		}
		body, err := json.Marshal(x)
		if err != nil {
			return nil, fmt.Errorf("postgres: encode notice: %w", err)
		}
		at := x.At
		if at.IsZero() {
			at = now
		}
		keys[i], collabs[i], recipients[i], kinds[i], bodies[i], next[i] = x.Key, int64(x.Collab), x.Recipient(), x.Kind, string(jsonbSafe(body)), at
	}
	b.Queue(`INSERT INTO outbox (workspace, key, collab, recipient, kind, body, created_at, next_attempt)
		SELECT $1, u.key, u.collab, u.recipient, u.kind, u.body::jsonb, $2, u.next
		FROM unnest($3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::timestamptz[]) WITH ORDINALITY
			AS u(key, collab, recipient, kind, body, next, i)
		ORDER BY u.i ON CONFLICT (workspace, key) DO NOTHING`,
		t.ws, now, keys, collabs, recipients, kinds, bodies, next).Exec(func(tag pgconn.CommandTag) error {
		*added = int(tag.RowsAffected())
		return nil
	})
	return added, nil
}
