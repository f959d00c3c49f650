package postgres

// Stub: the Copier (store.Copier) is built on branch pgout, which
// replaces this file.

import (
	"context"
	"errors"
)

func (s *Store) CopyTables() []string { return nil }

func (s *Store) ReadRows(ctx context.Context, table string, fn func(cols []string, row []any) error) error {
	return errors.New("postgres: not built yet")
}

func (s *Store) WriteRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	return errors.New("postgres: not built yet")
}

func (s *Store) CountRows(ctx context.Context, table string) (int64, error) {
	return 0, errors.New("postgres: not built yet")
}

func (s *Store) FinishCopy(ctx context.Context) error {
	return errors.New("postgres: not built yet")
}
