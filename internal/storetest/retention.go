package storetest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/store"
)

// testPrune (issue 14, build 6): received event ids older than their
// retention and notices sent before theirs go, a batch at a time; recent
// ones, unsent notices however old, and another workspace's rows stay.
// The old store had no way to delete either.
func testPrune(t *testing.T, db DB) {
	ctx := context.Background()
	var now atomic.Pointer[time.Time]
	at := func(d time.Duration) { x := t0.Add(d); now.Store(&x) }
	at(0)
	clock := bot.ClockFunc(func() time.Time { return *now.Load() })
	open := func(ws bot.Workspace) store.Backend {
		return openWith(t, db, Options{Clock: clock, Workspaces: []bot.Workspace{ws}})
	}
	acme, beta := open("acme"), open("beta")
	day := 24 * time.Hour
	// Per workspace: events on days 0..9, a notice sent on each of days
	// 0..39, and one never sent from day 0.
	for _, s := range []store.Backend{acme, beta} {
		ws := s.Workspaces()[0]
		for d := range 40 {
			at(time.Duration(d) * day)
			key := fmt.Sprintf("n/%d", d)
			err := s.Apply(ctx, ws, fmt.Sprintf("slack:Ev%d", d), func(tx bot.Tx) error {
				_, err := tx.Enqueue(ctx, bot.Notice{Key: key, Kind: "ack_requested", To: "ben", At: *now.Load()})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			q, err := s.Claim(ctx, *now.Load(), 10, time.Minute)
			if err != nil || len(q) != 1 {
				t.Fatalf("day %d: claimed %d: %v", d, len(q), err)
			}
			mark := func() error { return s.MarkSent(ctx, q[0].ID, *now.Load()) }
			if d == 0 { // never sent: its recipient's platform is down for good
				mark = func() error { return s.Defer(ctx, q[0].ID, t0.AddDate(10, 0, 0)) }
			}
			if err := mark(); err != nil {
				t.Fatal(err)
			}
		}
	}
	at(40 * day)
	events, sent := 0, 0
	for rounds := 0; ; rounds++ {
		e, n, err := acme.Prune(ctx, now.Load().Add(-7*day), now.Load().Add(-30*day), 4)
		if err != nil {
			t.Fatal(err)
		}
		events, sent = events+e, sent+n
		if e < 4 && n < 4 {
			break
		}
		if rounds > 20 {
			t.Fatal("prune does not end")
		}
	}
	// Events of days 0..32 are older than 7 days; notices sent on days
	// 1..9 older than 30 (day 0's was never sent).
	if events != 33 || sent != 9 {
		t.Errorf("pruned %d events and %d sent notices, want 33 and 9", events, sent)
	}
	// A redelivery of a pruned event would be new; of a kept one, a duplicate.
	if err := acme.Apply(ctx, "acme", "slack:Ev39", func(bot.Tx) error { return nil }); err != bot.ErrDuplicateEvent {
		t.Errorf("a recent event id was pruned: %v", err)
	}
	if n, _, _ := acme.OutboxDepth(ctx, *now.Load()); n != 1 {
		t.Errorf("%d unsent notices, want the one kept", n)
	}
	if e, n, _ := beta.Prune(ctx, t0, t0, 100); e != 0 || n != 0 {
		t.Errorf("beta's rows were pruned by acme (%d, %d left to prune before t0)", e, n)
	}
	if e, n, _ := beta.Prune(ctx, now.Load().Add(-7*day), now.Load().Add(-30*day), 100); e != 33 || n != 9 {
		t.Errorf("beta pruned %d and %d of its own, want 33 and 9: acme touched them", e, n)
	}
}
