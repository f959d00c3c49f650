package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/collabot/collabot/internal/store"
)

// Attempt records, before a send of outbox row id begins, that it begins
// at at, and returns when an earlier attempt began whose outcome was never
// recorded: a process died mid-send, or the send failed in a way that
// does not say whether the platform took it. The zero time means the row
// is not in doubt. A row in doubt stays so, from its earliest such
// attempt, until it is sent or a 429 says nothing went (Untried). Attempting a row already sent is an error: its claim
// was lost to another dispatcher.
//
// It is a write of its own, committed before the send starts, because a
// kill -9 between the platform's acceptance and MarkSent must leave a
// trace; that costs one small commit per send: one statement, which
// stamps a row not in doubt. Only a row it did not stamp is read again,
// to say why.
func (s *Store) Attempt(ctx context.Context, id int64, at time.Time) (time.Time, error) {
	res, err := s.write.ExecContext(ctx, `UPDATE outbox SET tried_at = ? WHERE id = ? AND sent_at IS NULL AND tried_at IS NULL`,
		stamp(at), id)
	if err != nil {
		return time.Time{}, fmt.Errorf("sqlite: attempt notice %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return time.Time{}, fmt.Errorf("sqlite: attempt notice %d: %w", id, err)
	} else if n == 1 {
		return time.Time{}, nil
	}
	// Sent, gone, or in doubt. The row is this claimer's, so nothing
	// changes it between the two statements.
	var tried, sent sql.NullString
	err = s.write.QueryRowContext(ctx, `SELECT tried_at, sent_at FROM outbox WHERE id = ?`, id).Scan(&tried, &sent)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return time.Time{}, fmt.Errorf("sqlite: attempt notice %d: no such row", id)
	case err != nil:
		return time.Time{}, fmt.Errorf("sqlite: attempt notice %d: %w", id, err)
	case sent.Valid:
		return time.Time{}, fmt.Errorf("sqlite: attempt notice %d: %w", id, ErrSent)
	case !tried.Valid:
		return time.Time{}, fmt.Errorf("sqlite: attempt notice %d: not stamped", id)
	}
	// Still in doubt since the earliest attempt whose outcome is unknown:
	// that is how far back the platform must be searched, whatever
	// attempts followed it.
	return unstamp(tried.String)
}

// ErrSent: the row was sent already (the contract's error, so a caller
// tells it apart whichever store it runs on).
var ErrSent = store.ErrSent

// Untried records that the last attempt of row id certainly did not reach
// the platform (it answered 429), so the next one need not look first.
func (s *Store) Untried(ctx context.Context, id int64) error {
	if _, err := s.write.ExecContext(ctx, `UPDATE outbox SET tried_at = NULL WHERE id = ? AND sent_at IS NULL`, id); err != nil {
		return fmt.Errorf("sqlite: untried notice %d: %w", id, err)
	}
	return nil
}
