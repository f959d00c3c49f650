// Package database opens the store a deployment is configured for: the
// one seam where a database's address picks its implementation, so that
// cmd and the tests depend on the store contract (internal/store) alone.
package database

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/postgres"
	"github.com/collabot/collabot/internal/sqlite"
	"github.com/collabot/collabot/internal/store"
)

// Options are what every store is opened with.
type Options struct {
	Log *slog.Logger
	// Clock stamps rows (received events, outbox entries, reminders);
	// nil for the wall clock.
	Clock bot.Clock
	// Workspaces seals the store to these workspaces, so a deployment
	// sharing the database with another never claims, reads or writes
	// that one's rows; none serves every workspace.
	Workspaces []bot.Workspace
}

// Open opens the store at addr without migrating it (call Migrate). A
// path (COLLABOT_DB, "data/collabot.db") is a SQLite file, as is
// "sqlite:" followed by a path; "postgres://…" and "postgresql://…"
// (COLLABOT_DATABASE_URL) are a PostgreSQL database.
func Open(ctx context.Context, addr string, o Options) (store.Backend, error) {
	scheme, rest, ok := strings.Cut(addr, ":")
	switch {
	case ok && scheme == "sqlite":
		addr = strings.TrimPrefix(rest, "//")
	case ok && (scheme == "postgres" || scheme == "postgresql"):
		return openPostgres(ctx, addr, o)
	case ok && strings.HasPrefix(rest, "//"):
		return nil, fmt.Errorf("database: unknown kind of database %q (a SQLite path, postgres:// or postgresql://)", scheme+"://")
	}
	if addr == "" {
		return nil, errors.New("database: no database given (COLLABOT_DB)")
	}
	opts := []sqlite.Option{sqlite.ForWorkspaces(o.Workspaces...)}
	if o.Clock != nil {
		opts = append(opts, sqlite.WithClock(o.Clock))
	}
	s, err := sqlite.Open(ctx, addr, o.Log, opts...)
	if err != nil {
		return nil, err // not a typed nil in an interface
	}
	return s, nil
}

func openPostgres(ctx context.Context, addr string, o Options) (store.Backend, error) {
	opts := []postgres.Option{postgres.ForWorkspaces(o.Workspaces...), postgres.WithLogger(o.Log)}
	if o.Clock != nil {
		opts = append(opts, postgres.WithClock(o.Clock))
	}
	s, err := postgres.Open(ctx, addr, opts...)
	if err != nil {
		return nil, err
	}
	return s, nil
}
