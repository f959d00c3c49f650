// Package postgres is collabot's store on a PostgreSQL server
// (github.com/jackc/pgx/v5, pgxpool), for deployments whose replicas run
// on several hosts. It keeps the same contract as internal/sqlite
// (store.Backend, checked by internal/storetest) and the same tables and
// column names, so a deployment moves from one to the other table by
// table.
//
// Concurrency: every Apply is one READ COMMITTED transaction on a pooled
// connection. What SQLite gets from its single writer is kept here by the
// statements themselves: optimistic versions (UPDATE … WHERE version = $n
// sees the row a concurrent writer committed), keys that make the event
// ledger, the reminder ledger and the outbox single (INSERT … ON CONFLICT),
// counters taken with UPDATE … RETURNING, and a transaction-scoped advisory
// lock where a value is derived from other rows (people's seq).
// Serialization failures and deadlocks are retried a few times
// (apply.go).
package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/store"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store implements store.Backend on a PostgreSQL database.
type Store struct {
	pool *pgxpool.Pool
	log  *slog.Logger
	now  func() time.Time
	// tenants are the workspaces this store serves (ForWorkspaces); none
	// means all.
	tenants []bot.Workspace
	// maxConns bounds the pool (WithMaxConns); 0 keeps pgxpool's default
	// or the address's pool_max_conns.
	maxConns int32
}

var (
	_ store.Backend = (*Store)(nil)
	_ store.Copier  = (*Store)(nil)
)

// DefaultMaxConns bounds a replica's connections unless the address sets
// pool_max_conns or WithMaxConns does: three replicas stay well within
// the server's default max_connections (100).
const DefaultMaxConns = 10

// Option configures a Store.
type Option func(*Store)

// WithClock sets the clock that stamps rows (received events, outbox
// entries, reminders); tests and "tick at t" use a chosen one.
func WithClock(c bot.Clock) Option { return func(s *Store) { s.now = c.Now } }

// WithLogger sets the logger (slog.Default otherwise).
func WithLogger(l *slog.Logger) Option {
	return func(s *Store) {
		if l != nil {
			s.log = l
		}
	}
}

// WithMaxConns bounds the connections the store holds open.
func WithMaxConns(n int) Option { return func(s *Store) { s.maxConns = int32(n) } }

// ForWorkspaces seals the store to the given workspaces: claims, scans,
// depth and pruning see only their rows, and Apply and View refuse any
// other (store.ErrForeignWorkspace). Without it the store serves every
// workspace.
func ForWorkspaces(ws ...bot.Workspace) Option {
	return func(s *Store) {
		for _, w := range ws {
			if w != "" && !slices.Contains(s.tenants, w) {
				s.tenants = append(s.tenants, w)
			}
		}
	}
}

// Open connects to the database at url (postgres://… or a key=value
// connection string; pgx's parameters such as pool_max_conns apply, and
// default_query_exec_mode=exec suits a transaction-pooling PgBouncer)
// and checks that it answers. It does not migrate: call Migrate.
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	s := &Store{log: slog.Default(), now: time.Now}
	for _, o := range opts {
		o(s)
	}
	s.log = s.log.WithGroup("postgres")
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The address may hold a password: never repeat it.
		return nil, errors.New("postgres: bad database address (check COLLABOT_DATABASE_URL)")
	}
	switch {
	case s.maxConns > 0:
		cfg.MaxConns = s.maxConns
	case !strings.Contains(url, "pool_max_conns"):
		// pgxpool's default is the number of CPUs (at least 4): on a small
		// host, a burst of events, the scheduler and the dispatcher would
		// queue for 4 connections while the server has room for many.
		cfg.MaxConns = DefaultMaxConns
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		cfg.ConnConfig.RuntimeParams["application_name"] = "collabot"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect to %s: %w", where(cfg), err)
	}
	s.pool = pool
	if err := s.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect to %s: %w", where(cfg), err)
	}
	return s, nil
}

// where names a server and database without the password.
func where(cfg *pgxpool.Config) string {
	return fmt.Sprintf("%s:%d/%s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
}

// Ping checks that the server answers (readiness).
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// Close closes every connection; it waits for those in use.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Workspaces lists the workspaces the store is sealed to (nil: all).
func (s *Store) Workspaces() []bot.Workspace { return slices.Clone(s.tenants) }

// serves reports whether ws is one of the store's workspaces.
func (s *Store) serves(ws bot.Workspace) error {
	if len(s.tenants) == 0 || slices.Contains(s.tenants, ws) {
		return nil
	}
	return fmt.Errorf("%w: %q", store.ErrForeignWorkspace, ws)
}

// scoped is the condition that keeps a query to the store's workspaces,
// with its argument as parameter $n. Unsealed it is "($n::text[] IS
// NULL)": always true, but still one parameter, so every query binds the
// same arguments either way.
func (s *Store) scoped(n int) (string, any) {
	p := fmt.Sprintf("$%d", n)
	if len(s.tenants) == 0 {
		return "(" + p + "::text[] IS NULL)", nil
	}
	ws := make([]string, len(s.tenants))
	for i, w := range s.tenants {
		ws[i] = string(w)
	}
	return "workspace = ANY(" + p + "::text[])", ws
}

// Instants are timestamptz (microseconds). Those the store reads back
// come in UTC, as SQLite's do; a zero instant where a column allows none
// is NULL.

// nullTime is t, or NULL for the zero instant.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// utc is an instant read from the database in UTC; NULL is zero.
func utc(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
