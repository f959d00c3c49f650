package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// testNextDueIndex: a save makes a collaboration due at once, whoever
// saves it; an instant noted for an old version is ignored; a reset makes
// everything due under a new basis; each workspace keeps its own.
func testNextDueIndex(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	dir := directory("acme")
	later := t0.Add(48 * time.Hour)
	due := func(ws bot.Workspace, at time.Time) map[bot.CollabID]bot.NextDue {
		t.Helper()
		out := map[bot.CollabID]bot.NextDue{}
		if err := s.View(ctx, ws, func(tx bot.Tx) error {
			rows, err := tx.(bot.NextDueIndex).DueCollabs(ctx, at)
			for _, r := range rows {
				out[r.Collab] = r
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	apply := func(ws bot.Workspace, fn func(tx bot.Tx, ix bot.NextDueIndex) error) {
		t.Helper()
		if err := s.Apply(ctx, ws, "", func(tx bot.Tx) error { return fn(tx, tx.(bot.NextDueIndex)) }); err != nil {
			t.Fatal(err)
		}
	}
	var c *bot.Collaboration
	apply("acme", func(tx bot.Tx, _ bot.NextDueIndex) (err error) {
		c, err = file(ctx, tx, dir, "one")
		return err
	})
	if got := due("acme", t0); len(got) != 1 || got[c.ID].Version != 1 || got[c.ID].Status != bot.StatusAwaitingAck {
		t.Fatalf("a new collaboration: due %v, want COL-1 at version 1", got)
	}
	if got := due("other", t0); len(got) != 0 {
		t.Errorf("another workspace sees %v", got)
	}
	// Noted for later: not due before then; due from then on.
	apply("acme", func(_ bot.Tx, ix bot.NextDueIndex) error {
		return ix.SetNextDue(ctx, bot.NextDue{Collab: c.ID, Version: 1, At: later})
	})
	if got := due("acme", later.Add(-time.Second)); len(got) != 0 {
		t.Errorf("before its instant: due %v", got)
	}
	if got := due("acme", later); len(got) != 1 {
		t.Errorf("at its instant: due %v, want COL-1", got)
	}
	// A save makes it due at once; an instant noted for the old version
	// (a scan that read it before the save) is ignored.
	apply("acme", func(tx bot.Tx, _ bot.NextDueIndex) error {
		loaded, err := tx.Collaboration(ctx, c.ID)
		if err != nil {
			return err
		}
		loaded.Request.Goal = "sooner"
		return tx.Save(ctx, loaded)
	})
	apply("acme", func(_ bot.Tx, ix bot.NextDueIndex) error {
		return ix.SetNextDue(ctx, bot.NextDue{Collab: c.ID, Version: 1, At: later})
	})
	if got := due("acme", t0); got[c.ID].Version != 2 {
		t.Errorf("after a save: due %v, want COL-1 at version 2", got)
	}
	// Never, until it changes.
	apply("acme", func(_ bot.Tx, ix bot.NextDueIndex) error {
		return ix.SetNextDue(ctx, bot.NextDue{Collab: c.ID, Version: 2})
	})
	if got := due("acme", t0.AddDate(10, 0, 0)); len(got) != 0 {
		t.Errorf("noted never: due %v", got)
	}
	// A new basis makes everything due again.
	apply("acme", func(_ bot.Tx, ix bot.NextDueIndex) error {
		if b, err := ix.NextDueBasis(ctx); err != nil || b != "" {
			t.Errorf("basis before any = %q, %v", b, err)
		}
		return ix.ResetNextDue(ctx, "b1")
	})
	if got := due("acme", t0); len(got) != 1 {
		t.Errorf("after a reset: due %v, want COL-1", got)
	}
	apply("acme", func(_ bot.Tx, ix bot.NextDueIndex) error {
		if b, err := ix.NextDueBasis(ctx); err != nil || b != "b1" {
			t.Errorf("basis = %q, %v; want b1", b, err)
		}
		return nil
	})
	// Read-only transactions cannot note anything.
	if err := s.View(ctx, "acme", func(tx bot.Tx) error {
		return tx.(bot.NextDueIndex).SetNextDue(ctx, bot.NextDue{Collab: c.ID, Version: 2})
	}); err == nil {
		t.Error("SetNextDue in View succeeded")
	}
}
