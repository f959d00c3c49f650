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

// The roster reads the synced and the people version in one statement
// (SyncedSince keeps the second for the PeopleSince that follows); a
// registration in between is still seen.
func TestPeopleVersionReadWithTheSyncedOne(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "v.db"))
	type rosterTx interface {
		SyncedSince(ctx context.Context, after int64) (*bot.Synced, int64, error)
	}
	err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		for i, name := range []string{"u1", "u2"} {
			if _, _, err := tx.(rosterTx).SyncedSince(ctx, 0); err != nil {
				return err
			}
			if _, err := tx.RegisterPerson(ctx, bot.Newcomer(bot.Identity{Platform: bot.Slack, ID: name}, "", "")); err != nil {
				return err
			}
			people, version, err := tx.PeopleSince(ctx, int64(i))
			if err != nil {
				return err
			}
			if version != int64(i+1) || len(people) != 1 || people[0].Name != name {
				t.Errorf("after registering %s: version %d, people %v", name, version, people)
			}
			if _, _, err := tx.(rosterTx).SyncedSince(ctx, 0); err != nil {
				return err
			}
			if _, version, err := tx.PeopleSince(ctx, 0); err != nil || version != int64(i+1) {
				t.Errorf("people version %d (%v), want %d", version, err, i+1)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
