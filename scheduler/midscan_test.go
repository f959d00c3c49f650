package scheduler_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// These cover what changes while a scan is under way: a scan reads, then
// records in a write transaction that first checks what it read is
// unchanged (and reads again if not). A paged scan tried on 2026-12-03
// left each of these windows open.

// afterRead runs hook once, after the scan's first read transaction.
type afterRead struct {
	bot.Store
	hook func()
}

func (a *afterRead) View(ctx context.Context, ws bot.Workspace, fn func(bot.Tx) error) error {
	err := a.Store.View(ctx, ws, fn)
	if h := a.hook; h != nil && err == nil {
		a.hook = nil
		h()
	}
	return err
}

func hasCollab(line string, id bot.CollabID) bool {
	return strings.HasPrefix(line, id.String()+"\t")
}

// A collaboration whose daily request is switched on while the 17:00
// scan is reading is in that day's request, not left for tomorrow.
func TestDueMidScanIsInTheDailyRequest(t *testing.T) {
	w := newWorld(t)
	x := owners(w)
	w.quietly(x)
	y := owners(w)
	w.tick("2026-11-24 16:00")
	w.sched.Store = &afterRead{Store: w.store, hook: func() {
		w.change(x, func(c *bot.Collaboration, _ bot.Tx) error { c.Reminders = nil; return nil })
	}}
	w.tick("2026-11-24 17:00")
	w.tick("2026-11-24 17:01")
	n := 0
	for _, q := range w.outbox() {
		if q.Notice.Kind != "daily_progress" || q.Notice.To != "ben" {
			continue
		}
		n++
		lines := splitLines(q.Notice.Params["tasks"])
		for _, id := range []bot.CollabID{x, y} {
			if !slices.ContainsFunc(lines, func(l string) bool { return hasCollab(l, id) }) {
				t.Errorf("ben's request lists no task of %s: %q", id, q.Notice.Params["tasks"])
			}
		}
	}
	if n != 1 {
		t.Errorf("%d requests to ben, want 1", n)
	}
}

// Another replica scans the minute while this one is between reading and
// recording, after ben's only task moved to fiona: ben is not asked.
func TestTaskMovedMidScanWhileAnotherReplicaScans(t *testing.T) {
	w := newWorld(t)
	x := w.activate(at("2026-11-23 10:30"))
	w.task(x, "ben", "研发部", at("2026-12-30 18:00"), at("2026-11-23 11:00"))
	y := w.activate(at("2026-11-23 10:30"))
	w.task(y, "fiona", "财务部", at("2026-12-30 18:00"), at("2026-11-23 11:00"))
	w.tick("2026-11-24 16:00")
	other := w.scheduler(w.open())
	w.sched.Store = &afterRead{Store: w.store, hook: func() {
		w.change(x, func(c *bot.Collaboration, _ bot.Tx) error {
			for _, tk := range c.Tasks {
				tk.Owner, tk.Department = "fiona", "财务部"
			}
			return nil
		})
		if _, err := other.Tick(w.ctx, at("2026-11-24 17:00"), false); err != nil {
			t.Fatal(err)
		}
	}}
	w.tick("2026-11-24 17:00")
	for _, q := range w.outbox() {
		if q.Notice.Kind == "daily_progress" && q.Notice.To == "ben" {
			t.Errorf("ben asked, owning nothing since before the request was recorded: %q", q.Notice.Params["tasks"])
		}
	}
}

// In a rolling change of policy (A asks at 17:00, B at 16:00), B rebuilds
// the next-due index while A is between reading and recording; A must not
// note its next looks under B's basis, or B would miss its 16:00 request.
func TestNextLooksNotNotedUnderAnotherReplicasPolicy(t *testing.T) {
	w := newWorld(t)
	x := w.activate(at("2026-11-23 10:30"))
	w.task(x, "ben", "研发部", at("2026-12-30 18:00"), at("2026-11-23 11:00"))
	w.tick("2026-11-24 14:00") // A's basis
	b := w.scheduler(w.open())
	b.Policy.DailyProgress.At = 16 * time.Hour
	w.change(x, func(c *bot.Collaboration, _ bot.Tx) error { c.Request.Goal += "!"; return nil }) // due now
	w.sched.Store = &afterRead{Store: w.store, hook: func() {
		if _, err := b.Tick(w.ctx, at("2026-11-24 15:00"), false); err != nil {
			t.Fatal(err)
		}
	}}
	w.tick("2026-11-24 15:00")
	rep, err := b.Tick(w.ctx, at("2026-11-24 16:00"), false)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "B at 16:00", sent(rep), []string{"daily_progress→ben"})
}
