package scheduler_test

import (
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// busyWeek is a collaboration with every kind of timer falling due in the
// week of 2026-11-23: acknowledgements, a meeting, tasks due and overdue,
// daily progress, a risk and the weekly summary.
func busyWeek(w *world) {
	w.submit(at("2026-11-23 09:30"))
	id := owners(w)
	w.task(id, "ben", "研发部", at("2026-11-25 12:00"), at("2026-11-23 11:00"))
	w.change(id, func(c *bot.Collaboration, tx bot.Tx) error {
		mid := bot.MeetingID(w.next(tx, bot.KindMeeting))
		if err := c.ScheduleMeeting(w.dir, w.as("carol"), bot.Meeting{ID: mid, Kind: bot.MeetingWeekly, Start: at("2026-11-25 10:00"),
			Duration: time.Hour, Attendees: []bot.PersonID{"ben", "fiona"}, Agenda: []string{"联调进度"}}, at("2026-11-23 12:00")); err != nil {
			return err
		}
		rid := bot.RiskID(w.next(tx, bot.KindRisk))
		return c.RaiseRisk(w.dir, w.as("fiona"), bot.Risk{ID: rid, Description: "预算审批慢", Impact: "采购延后",
			Severity: bot.SeverityHigh, Department: "财务部", Owner: "fiona"}, at("2026-11-23 14:00"))
	})
}

// notices is the outbox as comparable lines.
func (w *world) notices() []string {
	var out []string
	for _, q := range w.outbox() {
		out = append(out, q.Notice.Key)
	}
	sort.Strings(out)
	return out
}

// everyMinute ticks from start to end, calling tick for each minute.
func everyMinute(start, end time.Time, tick func(time.Time)) {
	for t := start; !t.After(end); t = t.Add(time.Minute) {
		tick(t)
	}
}

func TestExactlyOnceAcrossRestartsAndReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("ticks every minute of a week")
	}
	start, end := at("2026-11-23 09:00"), at("2026-11-29 23:59")
	mid := at("2026-11-25 15:07")

	// The reference: one scheduler, never down.
	ref := newWorld(t)
	busyWeek(ref)
	everyMinute(start, end, func(t time.Time) { ref.sched.Tick(ref.ctx, t, false) })
	want := ref.notices()
	if len(want) < 30 {
		t.Fatalf("the week only produced %d reminders: %q", len(want), want)
	}

	// Two replicas on one database, each with its own connection, ticking
	// concurrently; one of them restarts in the middle of the week.
	w := newWorld(t)
	busyWeek(w)
	other := w.scheduler(w.open())
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	wg.Add(2)
	go func() {
		defer wg.Done()
		s := w.sched
		everyMinute(start, end, func(t time.Time) {
			if t.Equal(mid) { // a new process on the same database
				s = w.scheduler(w.open())
			}
			if _, err := s.Tick(w.ctx, t, false); err != nil {
				errs <- err
			}
		})
	}()
	go func() {
		defer wg.Done()
		everyMinute(start, end, func(t time.Time) {
			if _, err := other.Tick(w.ctx, t, false); err != nil {
				errs <- err
			}
		})
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	equal(t, "reminders with two replicas and a restart", w.notices(), want)
	if testing.Verbose() {
		t.Logf("%d reminders in the week", len(want))
	}
}

func TestConcurrentTicksAtOneInstantWriteOnce(t *testing.T) {
	w := newWorld(t)
	owners(w)
	var wg sync.WaitGroup
	var mu sync.Mutex
	fresh := 0
	for i := range 8 {
		s := w.sched
		if i%2 == 1 {
			s = w.scheduler(w.open())
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep, err := s.Tick(w.ctx, at("2026-11-24 17:00"), false)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			fresh += rep.Count(bot.ReminderSent)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if fresh != 2 {
		t.Errorf("8 concurrent ticks sent %d reminders, want 2", fresh)
	}
	equal(t, "outbox", w.reminders(), []string{"daily_progress→ben", "daily_progress→fiona"})
}
