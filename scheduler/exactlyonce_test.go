package scheduler_test

import (
	"context"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/dispatch"
	"github.com/collabot/collabot/internal/store"
	"github.com/collabot/collabot/scheduler"
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

func TestExactlyOnceAcrossRestartsAndReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("ticks every minute of a week")
	}
	start, end := at("2026-11-23 09:00"), at("2026-11-29 23:59")
	mid := at("2026-11-25 15:05")

	// The reference: one scheduler, never down.
	ref := newWorld(t)
	busyWeek(ref)
	for t := start; !t.After(end); t = t.Add(tickEvery) {
		ref.sched.Tick(ref.ctx, t, false)
	}
	want := ref.notices()
	if len(want) < 30 {
		t.Fatalf("the week only produced %d reminders: %q", len(want), want)
	}

	// Two replicas on one database, each with its own connection, ticking
	// and delivering concurrently; one of them restarts in the middle of
	// the week.
	w := newWorld(t)
	busyWeek(w)
	delivered := &recorder{got: map[int64]int{}}
	replica := func(s store.Backend) (*scheduler.Scheduler, *dispatch.Dispatcher, *time.Time) {
		now := new(time.Time)
		d, err := dispatch.New(dispatch.Options{Outbox: s, Render: plain, Fallback: delivered,
			Clock: bot.ClockFunc(func() time.Time { return *now }), Log: quiet()})
		if err != nil {
			t.Fatal(err)
		}
		return w.scheduler(s), d, now
	}
	// The replicas tick the same minute concurrently, then move on
	// together: real replicas are a minute apart, not in a tight loop
	// that would starve one of them of the database lock.
	type node struct {
		s   *scheduler.Scheduler
		d   *dispatch.Dispatcher
		now *time.Time
	}
	nodes := make([]node, 2)
	for i := range nodes {
		s, d, now := replica(w.open())
		nodes[i] = node{s, d, now}
	}
	for now := start; !now.After(end); now = now.Add(tickEvery) {
		if now.Equal(mid) { // a new process on the same database
			s, d, now := replica(w.open())
			nodes[0] = node{s, d, now}
		}
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for _, n := range nodes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				*n.now = now
				if _, err := n.s.Tick(w.ctx, now, false); err != nil {
					errs <- err
				}
				if _, err := n.d.DrainAll(w.ctx); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("at %s: %v", now, err)
		}
	}
	equal(t, "left unsent", w.notices(), nil)
	equal(t, "delivered with two replicas and a restart", delivered.keysSorted(), want)
	for id, n := range delivered.got {
		if n != 1 {
			t.Errorf("outbox row %d delivered %d times", id, n)
		}
	}
	if testing.Verbose() {
		t.Logf("%d reminders in the week", len(want))
	}
}

// recorder is the terminal of this test: it counts what reaches it.
type recorder struct {
	mu   sync.Mutex
	got  map[int64]int
	keys []string
}

func (r *recorder) keysSorted() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := slices.Clone(r.keys)
	sort.Strings(out)
	return out
}

func (r *recorder) Platform() bot.Platform { return bot.Console }

func (r *recorder) Send(_ context.Context, n bot.Notification) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got[n.ID]++
	r.keys = append(r.keys, n.Subject)
	return nil
}

// plain renders a notice just enough to route it.
func plain(_ context.Context, _ bot.Workspace, n bot.Notice) (bot.Notification, error) {
	return bot.Notification{To: n.To, Kind: n.Kind, Collab: n.Collab, Subject: n.Key}, nil
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
