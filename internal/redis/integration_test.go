package redis_test

import (
	"testing"
	"time"

	"github.com/collabot/collabot/internal/redis/redistest"
)

// TestTwoReplicasApplyEachEventOnce: two engines sharing one SQLite file
// and one Redis both receive the same events, concurrently and in
// different orders. Each event is applied once (one answer, one
// collaboration per filing), and Redis keeps all but a few duplicates
// from reaching an engine at all.
func TestTwoReplicasApplyEachEventOnce(t *testing.T) {
	url, prefix := redistest.URL(t), redistest.Prefix(t)
	events := 1000
	if testing.Short() {
		events = 200
	}
	filings := events / 2
	db := dbPath(t)
	a, b := newReplica(t, db, url, prefix, nil), newReplica(t, db, url, prefix, nil)
	var got answers
	start := time.Now()
	deliver(t, []*replica{a, b}, 0, filings, 4, &got)
	elapsed := time.Since(start)

	got.check(t, eventIDs(0, filings))
	checkCollabs(t, a.store, filings)
	calls := a.calls.Load() + b.calls.Load()
	// A delivery reaches an engine a second time only if it waited out a
	// peer: none expected with a 10 s wait.
	if calls < int64(events) || calls > int64(events)+10 {
		t.Errorf("engines called %d times (%d + %d) for %d events delivered twice each", calls, a.calls.Load(), b.calls.Load(), events)
	}
	// Every delivery either reached an engine or was dropped as a duplicate.
	if dups := a.dups.Load() + b.dups.Load(); calls+dups != int64(2*events) {
		t.Errorf("%d engine calls + %d duplicates dropped != %d deliveries", calls, dups, 2*events)
	}
	t.Logf("%d events × 2 replicas in %v; engine calls %d + %d; duplicates dropped by Redis %d",
		events, elapsed.Round(time.Millisecond), a.calls.Load(), b.calls.Load(), a.dups.Load()+b.dups.Load())
}
