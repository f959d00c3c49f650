package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/scheduler"
)

// TestHomeRefreshedWhenTaskTurnsOverdue: nobody saves anything, but the
// clock passes ben's task's due time: the scheduler queues his home page
// once (and the coordinator's), not again at later scans, nor by a
// second scheduler (a restart), nor when the overdue reminder repeats
// the next day; the page then shows the task 🔴. The same with the
// task_due timer off: no reminder, but the page still turns red.
func TestHomeRefreshedWhenTaskTurnsOverdue(t *testing.T) {
	for _, timerOn := range []bool{true, false} {
		name := "task_due on"
		if !timerOn {
			name = "task_due off"
		}
		t.Run(name, func(t *testing.T) { homeRefreshedWhenTaskTurnsOverdue(t, timerOn) })
	}
}

func homeRefreshedWhenTaskTurnsOverdue(t *testing.T, timerOn bool) {
	h := newHarness(t)
	h.withTask()
	h.homeOf("ben")
	h.homeOf("amy")
	due := h.collab(1).Tasks[0].Due
	cal, err := h.cfg.Calendar(quiet())
	if err != nil {
		t.Fatal(err)
	}
	policy := scheduler.DefaultPolicy()
	policy.TaskDue.On = timerOn
	sched := func() *scheduler.Scheduler {
		return &scheduler.Scheduler{Store: h.store, Calendar: cal, Policy: policy,
			Workspaces: map[bot.Workspace]*bot.Directory{h.ws: h.cfg.Directory()}, Log: quiet(), Homes: h.eng}
	}
	far := due.AddDate(0, 1, 0)
	queued := func() map[bot.PersonID]int {
		out := map[bot.PersonID]int{}
		for _, q := range h.homeRows(far) {
			out[q.Notice.To]++
		}
		return out
	}
	before := queued()
	s := sched()
	tick := func(s *scheduler.Scheduler, at time.Time) {
		if _, err := s.Tick(context.Background(), at, false); err != nil {
			t.Fatal(err)
		}
	}
	tick(s, due.Add(-time.Hour))
	if got := queued(); got["ben"] != before["ben"] {
		t.Fatalf("a refresh before the task was due: %v (before %v)", got, before)
	}
	tick(s, due.Add(time.Minute))
	after := queued()
	if after["ben"] != before["ben"]+1 || after["amy"] != before["amy"]+1 {
		t.Fatalf("home refreshes once T-1 turned overdue: %v (before %v)", after, before)
	}
	tick(s, due.Add(2*time.Minute))
	tick(sched(), due.Add(3*time.Minute))
	tick(s, due.Add(24*time.Hour+time.Minute))
	if got := queued(); got["ben"] != after["ben"] || got["amy"] != after["amy"] {
		t.Errorf("the same change queued again: %v (after the first %v)", got, after)
	}
	if _, err := h.clock.Set(due.Add(time.Minute).In(h.cfg.Location()).Format("2006-01-02 15:04"), h.cfg.Location()); err != nil {
		t.Fatal(err)
	}
	home, err := h.eng.Home(context.Background(), h.ws, "ben")
	if err != nil {
		t.Fatal(err)
	}
	if it, ok := item(home, "tasks", "T-1"); !ok || it.Emoji != "🔴" {
		t.Errorf("ben's page shows T-1 as %+v", it)
	}
}
