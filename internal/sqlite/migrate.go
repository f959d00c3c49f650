package sqlite

import (
	"context"
	"embed"
	"fmt"
	"strings"

	"github.com/collabot/collabot/internal/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrations lists the embedded migrations in order (store.Migrations).
func migrations() ([]store.Migration, error) {
	all, err := store.Migrations(migrationFS, "migrations")
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return all, nil
}

// Migrate applies the migrations not yet applied, each in its own
// transaction together with its bookkeeping row, so a crash leaves the
// schema at a whole version. Running it again, or from two processes at
// once, applies nothing twice. It returns the names of those it applied.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	if _, err := s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`); err != nil {
		return nil, fmt.Errorf("sqlite: create schema_migrations: %w", err)
	}
	all, err := migrations()
	if err != nil {
		return nil, err
	}
	var applied []string
	for _, m := range all {
		done, err := s.applyMigration(ctx, m)
		if err != nil {
			return applied, err
		}
		if done {
			applied = append(applied, m.Name)
			s.log.Info("migration applied", "migration", m.Name)
		}
	}
	return applied, nil
}

func (s *Store) applyMigration(ctx context.Context, m store.Migration) (bool, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("sqlite: begin migration %s: %w", m.Name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
		return false, fmt.Errorf("sqlite: check migration %s: %w", m.Name, err)
	}
	if n > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return false, fmt.Errorf("sqlite: migration %s: %w", m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.Version, m.Name, stamp(s.now())); err != nil {
		return false, fmt.Errorf("sqlite: record migration %s: %w", m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("sqlite: commit migration %s: %w", m.Name, err)
	}
	return true, nil
}

// PendingMigrations reports how many embedded migrations are not applied;
// readiness checks want zero.
func (s *Store) PendingMigrations(ctx context.Context) (int, error) {
	all, err := migrations()
	if err != nil {
		return 0, err
	}
	var applied int
	err = s.read.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&applied)
	if err != nil && strings.Contains(err.Error(), "no such table") {
		return len(all), nil
	}
	if err != nil {
		return 0, fmt.Errorf("sqlite: count migrations: %w", err)
	}
	return len(all) - applied, nil
}
