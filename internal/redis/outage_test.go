package redis_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/collabot/collabot/internal/redis/redistest"
)

// TestOutage: Redis dies while two replicas take events. They keep
// handling them (both now reach the engine, and the store keeps each
// applied once), each warns once, and when Redis is back they
// de-duplicate through it again without being told.
func TestOutage(t *testing.T) {
	srv := redistest.Server(t)
	db := dbPath(t)
	logA, logB := &logs{}, &logs{}
	a := newReplica(t, db, srv.URL(), "", slogTo(logA))
	b := newReplica(t, db, srv.URL(), "", slogTo(logB))
	reps := []*replica{a, b}
	calls := func() int64 { return a.calls.Load() + b.calls.Load() }
	const phase = 40 // filings per phase: 80 events
	var got answers

	deliver(t, reps, 0, phase, 3, &got)
	if n := calls(); n != 2*phase {
		t.Errorf("with Redis up: %d engine calls for %d events", n, 2*phase)
	}

	srv.Stop()
	deliver(t, reps, phase, 2*phase, 3, &got)
	if n := calls() - 2*phase; n != 4*phase {
		t.Errorf("with Redis down: %d engine calls, want every delivery (%d)", n, 4*phase)
	}
	for i, l := range []*logs{logA, logB} {
		if n := l.count(slog.LevelWarn, "redis unreachable"); n != 1 {
			t.Errorf("replica %d warned %d times during one outage, want 1:\n%s", i, n, l)
		}
		if reps[i].client.Healthy() {
			t.Errorf("replica %d healthy with Redis down", i)
		}
	}

	srv.Start()
	ctx := context.Background()
	for i, r := range reps {
		took := eventually(t, 5*time.Second, "recovery", func() bool { return r.client.Ping(ctx) == nil })
		t.Logf("replica %d saw Redis back after %v", i, took.Round(time.Millisecond))
		if !r.client.Healthy() {
			t.Errorf("replica %d not healthy after recovery", i)
		}
	}
	before := calls()
	deliver(t, reps, 2*phase, 3*phase, 3, &got)
	if n := calls() - before; n != 2*phase {
		t.Errorf("after recovery: %d engine calls for %d events", n, 2*phase)
	}
	for i, l := range []*logs{logA, logB} {
		if w, info := l.count(slog.LevelWarn, "redis unreachable"), l.count(slog.LevelInfo, "redis reachable again"); w != 1 || info != 1 {
			t.Errorf("replica %d: %d warnings, %d recoveries logged; want 1, 1:\n%s", i, w, info, l)
		}
	}

	got.check(t, eventIDs(0, 3*phase))
	checkCollabs(t, a.store, 3*phase)
}
