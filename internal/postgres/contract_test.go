package postgres_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/collabot/collabot/internal/postgres"
	"github.com/collabot/collabot/internal/postgres/pgtest"
	"github.com/collabot/collabot/internal/store"
	"github.com/collabot/collabot/internal/storetest"
)

// TestContract runs the store contract suite on PostgreSQL: each test on
// a database of its own, each handle another *Store (another pool) on it,
// as another host's would be.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.DB {
		url := pgtest.Fresh(t)
		return func(ctx context.Context, o storetest.Options) (store.Backend, error) {
			return open(ctx, url, o)
		}
	})
}

func open(ctx context.Context, url string, o storetest.Options) (*postgres.Store, error) {
	opts := []postgres.Option{postgres.ForWorkspaces(o.Workspaces...), postgres.WithLogger(quiet())}
	if o.Clock != nil {
		opts = append(opts, postgres.WithClock(o.Clock))
	}
	return postgres.Open(ctx, url, opts...)
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
