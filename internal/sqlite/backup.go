package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database to path with VACUUM
// INTO: one read transaction's snapshot, compacted, taken while the store
// keeps serving (writers are not held up; WAL readers never block them).
// A file at path is never overwritten.
func (s *Store) Backup(ctx context.Context, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	// Created empty first, exclusively: never over another file, and
	// readable by the owner only, like the database (VACUUM INTO writes
	// into an empty file and keeps its mode).
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("sqlite: backup: %s exists already; name a new file", path)
	}
	if err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	f.Close()
	if _, err := s.read.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		os.Remove(path) // a half-written copy is no backup
		return fmt.Errorf("sqlite: backup to %s: %w", path, err)
	}
	return nil
}
