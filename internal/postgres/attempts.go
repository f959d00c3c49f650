package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/collabot/collabot/internal/store"
	"github.com/jackc/pgx/v5"
)

// Attempt records, before a send of outbox row id begins, that it begins
// at at, and returns when an earlier attempt began whose outcome was never
// recorded: a process died mid-send, or the send failed in a way that
// does not say whether the platform took it. The zero time means the row
// is not in doubt. A row in doubt stays so, from its earliest such
// attempt, until it is sent or a 429 says nothing went (Untried).
// Attempting a row already sent is store.ErrSent: its claim was lost to
// another dispatcher.
//
// It is a write of its own, committed before the send starts, because a
// kill -9 between the platform's acceptance and MarkSent must leave a
// trace. Only a row it did not stamp is read again, to say why; that
// read is a statement of its own, so it sees whatever the update waited
// for.
func (s *Store) Attempt(ctx context.Context, id int64, at time.Time) (time.Time, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE outbox SET tried_at = $1 WHERE id = $2 AND sent_at IS NULL AND tried_at IS NULL`, at, id)
	if err != nil {
		return time.Time{}, fmt.Errorf("postgres: attempt notice %d: %w", id, err)
	}
	if tag.RowsAffected() == 1 {
		return time.Time{}, nil
	}
	var tried, sent *time.Time
	err = s.pool.QueryRow(ctx, `SELECT tried_at, sent_at FROM outbox WHERE id = $1`, id).Scan(&tried, &sent)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return time.Time{}, fmt.Errorf("postgres: attempt notice %d: no such row", id)
	case err != nil:
		return time.Time{}, fmt.Errorf("postgres: attempt notice %d: %w", id, err)
	case sent != nil:
		return time.Time{}, fmt.Errorf("postgres: attempt notice %d: %w", id, store.ErrSent)
	case tried == nil:
		return time.Time{}, fmt.Errorf("postgres: attempt notice %d: not stamped", id)
	}
	// Still in doubt since the earliest attempt whose outcome is unknown:
	// that is how far back the platform must be searched.
	return tried.UTC(), nil
}

// Untried records that the last attempt of row id certainly did not reach
// the platform (it answered 429), so the next one need not look first.
func (s *Store) Untried(ctx context.Context, id int64) error {
	if _, err := s.pool.Exec(ctx, `UPDATE outbox SET tried_at = NULL WHERE id = $1 AND sent_at IS NULL`, id); err != nil {
		return fmt.Errorf("postgres: untried notice %d: %w", id, err)
	}
	return nil
}
