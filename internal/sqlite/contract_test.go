package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/collabot/collabot/internal/sqlite"
	"github.com/collabot/collabot/internal/store"
	"github.com/collabot/collabot/internal/storetest"
)

// TestContract runs the store contract suite on SQLite: each test on a
// fresh file, each handle another *Store on it, as another process's
// would be.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.DB {
		path := filepath.Join(t.TempDir(), "data", "collabot.db")
		return func(ctx context.Context, o storetest.Options) (store.Backend, error) {
			opts := []sqlite.Option{sqlite.ForWorkspaces(o.Workspaces...)}
			if o.Clock != nil {
				opts = append(opts, sqlite.WithClock(o.Clock))
			}
			s, err := sqlite.Open(ctx, path, quiet(), opts...)
			if err != nil {
				return nil, err
			}
			return s, nil
		}
	})
}
