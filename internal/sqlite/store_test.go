package sqlite_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/sqlite"
	"github.com/collabot/collabot/internal/storetest"
)

// The store's contract (atomicity, versions, the outbox, the ledger,
// workspaces, migrations…) is tested by internal/storetest, run in
// contract_test.go; the tests here are about SQLite itself.

var (
	t0        = storetest.T0
	directory = storetest.Directory
	file      = storetest.File
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// open opens a migrated store on a fresh file.
func open(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "data", "collabot.db")
	}
	s, err := sqlite.Open(context.Background(), path, quiet(), sqlite.WithClock(bot.ClockFunc(func() time.Time { return t0 })))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOpenRefusesOddPaths(t *testing.T) {
	if _, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "a?mode=ro"), quiet()); err == nil {
		t.Error("a path with ? was accepted")
	}
}
