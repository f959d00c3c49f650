package postgres

import (
	"context"
	"embed"
	"fmt"

	"github.com/collabot/collabot/internal/store"
	"github.com/jackc/pgx/v5"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrations lists the embedded migrations in order (store.Migrations).
func migrations() ([]store.Migration, error) {
	all, err := store.Migrations(migrationFS, "migrations")
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return all, nil
}

// migrateLock is the advisory lock every migrating process takes, so that
// replicas starting together apply each migration once: the second waits
// for the first to commit, then finds it applied. It is scoped to the
// database (advisory locks are), so two databases on one server migrate
// independently.
const migrateLock int64 = 0x636f6c6c61626f74 // "collabot"

// Migrate applies the migrations not yet applied, each in its own
// transaction together with its bookkeeping row and under the advisory
// lock, so a crash leaves the schema at a whole version and concurrent
// processes apply nothing twice. It returns the names of those it applied.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
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
	var done bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrateLock); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		// Created under the lock: CREATE TABLE IF NOT EXISTS from two
		// sessions at once may still collide on the catalogue.
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version bigint PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, m.Version).Scan(&n); err != nil {
			return fmt.Errorf("check: %w", err)
		}
		if n > 0 {
			return nil
		}
		// No arguments: the simple protocol, which runs a file of many
		// statements.
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
			m.Version, m.Name, s.now()); err != nil {
			return fmt.Errorf("record: %w", err)
		}
		done = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("postgres: migration %s: %w", m.Name, err)
	}
	return done, nil
}

// PendingMigrations reports how many embedded migrations are not applied;
// readiness checks want zero.
func (s *Store) PendingMigrations(ctx context.Context) (int, error) {
	all, err := migrations()
	if err != nil {
		return 0, err
	}
	versions := make([]int64, len(all))
	for i, m := range all {
		versions[i] = int64(m.Version)
	}
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists); err != nil {
		return 0, fmt.Errorf("postgres: count migrations: %w", err)
	}
	if !exists {
		return len(all), nil
	}
	var applied int
	err = s.pool.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ANY($1)`, versions).Scan(&applied)
	if err != nil {
		return 0, fmt.Errorf("postgres: count migrations: %w", err)
	}
	return len(all) - applied, nil
}
