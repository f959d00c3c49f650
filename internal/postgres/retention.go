package postgres

// Stub: pruning is built on branch pgout, which replaces this file.

import (
	"context"
	"errors"
	"time"
)

func (s *Store) Prune(ctx context.Context, eventsBefore, sentBefore time.Time, batch int) (events, sent int, err error) {
	return 0, 0, errors.New("postgres: not built yet")
}
