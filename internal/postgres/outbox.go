package postgres

// Stub: the outbox (claims with FOR UPDATE SKIP LOCKED, marks, attempts,
// depth) is built on branch pgout, which replaces this file.

import (
	"context"
	"errors"
	"time"

	"github.com/collabot/collabot/bot"
)

func (s *Store) DueNotices(ctx context.Context, now time.Time, limit int) ([]bot.Queued, error) {
	return nil, errors.New("postgres: not built yet")
}

func (s *Store) Claim(ctx context.Context, now time.Time, limit int, hold time.Duration) ([]bot.Queued, error) {
	return nil, errors.New("postgres: not built yet")
}

func (s *Store) MarkSent(ctx context.Context, id int64, at time.Time) error {
	return errors.New("postgres: not built yet")
}

func (s *Store) MarkFailed(ctx context.Context, id int64, cause error, retryAt time.Time) error {
	return errors.New("postgres: not built yet")
}

func (s *Store) Defer(ctx context.Context, id int64, until time.Time) error {
	return errors.New("postgres: not built yet")
}

func (s *Store) DeferAll(ctx context.Context, until map[int64]time.Time) error {
	return errors.New("postgres: not built yet")
}

func (s *Store) Attempt(ctx context.Context, id int64, at time.Time) (time.Time, error) {
	return time.Time{}, errors.New("postgres: not built yet")
}

func (s *Store) Untried(ctx context.Context, id int64) error {
	return errors.New("postgres: not built yet")
}

func (s *Store) OutboxDepth(ctx context.Context, now time.Time) (int, time.Duration, error) {
	return 0, 0, errors.New("postgres: not built yet")
}
