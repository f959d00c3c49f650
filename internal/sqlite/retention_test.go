package sqlite_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/collabot/collabot/internal/sqlite"
)

// BenchmarkPrune measures one batch of PruneBatch event ids deleted from
// a table of about 100,000: how long a message may wait behind it.
func BenchmarkPrune(b *testing.B) {
	ctx := context.Background()
	s := open(b, "")
	seeded := 0
	for i := 0; b.Loop(); i++ {
		if i%100 == 0 {
			b.StopTimer()
			seeded = seedEvents(b, s.Path(), seeded, 100_000)
			b.StartTimer()
		}
		if n, _, err := s.Prune(ctx, t0.Add(time.Hour), t0, sqlite.PruneBatch); err != nil || n != sqlite.PruneBatch {
			b.Fatalf("pruned %d: %v", n, err)
		}
	}
}

// seedEvents writes n old event ids straight into the file, numbered
// from first; it returns the next number.
func seedEvents(b *testing.B, path string, first, n int) int {
	b.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(`WITH RECURSIVE seq(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
		INSERT INTO inbound_events (workspace, event, at) SELECT 'acme', 'slack:Ev' || i, ? FROM seq`, first, first+n-1, "2026-01-01T00:00:00.000000000Z")
	if err != nil {
		b.Fatal(err)
	}
	return first + n
}
