package scheduler_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// betweenPhases runs a change once, right after the scheduler's first
// read-only transaction: as if a person acted between the scan's reading
// phase (on the read pool) and its writing phase.
type betweenPhases struct {
	bot.Store
	change func()
}

func (b *betweenPhases) View(ctx context.Context, ws bot.Workspace, fn func(bot.Tx) error) error {
	err := b.Store.View(ctx, ws, fn)
	if b.change != nil {
		b.change()
		b.change = nil
	}
	return err
}

// TestScanReadsOffTheWriterAndRecordsWhatIsStillDue: the scan reads on
// the read pool, and a change committed before it records (here both
// departments acknowledging) is honoured: no acknowledgement is chased.
func TestScanReadsOffTheWriterAndRecordsWhatIsStillDue(t *testing.T) {
	const scan = "2026-11-24 10:30"
	chased := func(rep []string) bool {
		return slices.ContainsFunc(rep, func(s string) bool { return strings.HasPrefix(s, "ack") })
	}
	// Without the change the acknowledgements are chased at that time.
	w := newWorld(t)
	w.submit(at("2026-11-23 10:00"))
	if got := sent(w.tick(scan)); !chased(got) {
		t.Fatalf("the fixture chases no acknowledgement at %s: %v", scan, got)
	}

	w = newWorld(t)
	id := w.submit(at("2026-11-23 10:00"))
	views := 0
	w.sched.Store = &betweenPhases{Store: w.store, change: func() {
		views++
		w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
			for _, a := range []struct{ who, dept string }{{"ben", "研发部"}, {"fiona", "财务部"}} {
				if err := c.Acknowledge(w.as(a.who), a.dept, bot.Answer{Decision: bot.AckAccepted, Scope: "全部"}, at("2026-11-24 10:00")); err != nil {
					return err
				}
			}
			return nil
		})
	}}
	got := sent(w.tick(scan))
	if views != 1 {
		t.Fatalf("the scan read %d times on the read pool, want once", views)
	}
	if chased(got) {
		t.Errorf("acknowledged between the phases, still chased: %v", got)
	}
}
