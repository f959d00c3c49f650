package scheduler_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/scheduler"
)

// The next-due index: a scan reads only the collaborations whose timers
// may fire, and still finds everything the full scan found.

// counting is the real store, counting what the scheduler asks of it.
type counting struct {
	bot.Store
	mu       sync.Mutex
	decoded  int // collaborations loaded
	ledger   int // ledger questions (Reminders)
	applies  int // write transactions
	recorded []int
}

type indexTx interface {
	bot.Tx
	bot.NextDueIndex
}

type countingTx struct {
	indexTx
	c *counting
}

func (c *counting) View(ctx context.Context, ws bot.Workspace, fn func(bot.Tx) error) error {
	return c.Store.View(ctx, ws, func(tx bot.Tx) error { return fn(countingTx{tx.(indexTx), c}) })
}

func (c *counting) Apply(ctx context.Context, ws bot.Workspace, event string, fn func(bot.Tx) error) error {
	c.mu.Lock()
	c.applies++
	c.recorded = append(c.recorded, 0)
	c.mu.Unlock()
	return c.Store.Apply(ctx, ws, event, func(tx bot.Tx) error { return fn(countingTx{tx.(indexTx), c}) })
}

func (t countingTx) Collaboration(ctx context.Context, id bot.CollabID) (*bot.Collaboration, error) {
	t.c.mu.Lock()
	t.c.decoded++
	t.c.mu.Unlock()
	return t.indexTx.Collaboration(ctx, id)
}

func (t countingTx) Reminders(ctx context.Context, timer, slot string) ([]bot.Reminder, error) {
	t.c.mu.Lock()
	t.c.ledger++
	t.c.mu.Unlock()
	return t.indexTx.Reminders(ctx, timer, slot)
}

func (t countingTx) RecordReminder(ctx context.Context, r bot.Reminder) (bool, error) {
	fresh, err := t.indexTx.RecordReminder(ctx, r)
	if fresh {
		t.c.mu.Lock()
		t.c.recorded[len(t.c.recorded)-1]++
		t.c.mu.Unlock()
	}
	return fresh, err
}

// take returns the counts so far and starts again.
func (c *counting) take() (decoded, ledger, applies int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	decoded, ledger, applies = c.decoded, c.ledger, c.applies
	c.decoded, c.ledger, c.applies, c.recorded = 0, 0, 0, nil
	return
}

// counted puts a counting store under the world's scheduler.
func (w *world) counted() *counting {
	c := &counting{Store: w.store}
	w.sched.Store = c
	return c
}

// quietly switches off a collaboration's daily and weekly timers, so that
// only its deadlines make it due.
func (w *world) quietly(id bot.CollabID) {
	w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
		c.Reminders = map[string]string{"daily_progress": "off", "weekly_summary": "off"}
		return nil
	})
}

func TestScanDecodesOnlyWhatIsDue(t *testing.T) {
	w := newWorld(t)
	var ids []bot.CollabID
	for range 5 {
		ids = append(ids, owners(w))
	}
	c := w.counted()
	w.tick("2026-11-24 16:00")
	if n, _, _ := c.take(); n != len(ids) {
		t.Errorf("first scan decoded %d, want all %d", n, len(ids))
	}
	w.tick("2026-11-24 16:01")
	if n, _, applies := c.take(); n != 0 || applies != 0 {
		t.Errorf("a scan with nothing due decoded %d and wrote %d times, want 0 and 0", n, applies)
	}
	// A new process decodes nothing either: the index is in the store.
	w.sched = w.scheduler(w.open())
	c = w.counted()
	w.tick("2026-11-24 16:02")
	if n, _, applies := c.take(); n != 0 || applies != 0 {
		t.Errorf("a new process's first scan decoded %d and wrote %d times, want 0 and 0", n, applies)
	}
	// One edit, one decode.
	w.change(ids[2], func(c *bot.Collaboration, _ bot.Tx) error { c.Request.Goal += "!"; return nil })
	w.tick("2026-11-24 16:03")
	if n, _, _ := c.take(); n != 1 {
		t.Errorf("after one edit: decoded %d, want 1", n)
	}
	// 17:00: every owner is asked, so every collaboration is read.
	equal(t, "17:00", sent(w.tick("2026-11-24 17:00")), []string{"daily_progress→ben", "daily_progress→fiona"})
	if n, _, _ := c.take(); n != len(ids)-1 {
		t.Errorf("at 17:00: decoded %d, want %d (all but the one decoded at 16:03)", n, len(ids)-1)
	}
}

func TestEditMovingATimerEarlierIsFound(t *testing.T) {
	w := newWorld(t)
	id := w.activate(at("2026-11-23 10:00"))
	tid := w.task(id, "ben", "研发部", at("2026-12-30 18:00"), at("2026-11-23 11:00"))
	w.quietly(id)
	equal(t, "before", sent(w.tick("2026-11-24 10:00")), nil)
	// Its only timer is a month away: the index would not look before.
	w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
		for _, t := range c.Tasks {
			if t.ID == tid {
				t.Due = at("2026-11-24 11:00")
			}
		}
		return nil
	})
	equal(t, "10:30", sent(w.tick("2026-11-24 10:30")), nil)
	equal(t, "11:00", sent(w.tick("2026-11-24 11:00")), []string{"task_due→ben", "task_due→carol"})
}

func TestDeferralsAreFoundWhenTheyComeDue(t *testing.T) {
	t.Run("outside working hours: waits for Monday 09:00", func(t *testing.T) {
		w := newWorld(t)
		id := w.activate(at("2026-11-23 10:00"))
		w.task(id, "ben", "研发部", at("2026-11-28 22:00"), at("2026-11-23 11:00")) // a Saturday
		w.quietly(id)
		for _, s := range []string{"2026-11-27 18:00", "2026-11-28 22:00", "2026-11-29 12:00", "2026-11-30 08:59"} {
			equal(t, s, sent(w.tick(s)), nil)
		}
		equal(t, "Monday 09:00", sent(w.tick("2026-11-30 09:00")), []string{"task_due→ben", "task_due→carol"})
	})
	t.Run("a holiday: the next business day", func(t *testing.T) {
		w := newWorld(t)
		id := w.activate(at("2026-09-28 10:00"))
		w.task(id, "ben", "研发部", at("2026-10-01 10:00"), at("2026-09-28 11:00")) // National Day
		w.quietly(id)
		for _, s := range []string{"2026-09-30 18:00", "2026-10-01 10:00", "2026-10-05 12:00", "2026-10-08 08:59"} {
			equal(t, s, sent(w.tick(s)), nil)
		}
		equal(t, "back at work", sent(w.tick("2026-10-08 09:00")), []string{"task_due→ben", "task_due→carol"})
	})
	t.Run("a snooze lifted early: at once", func(t *testing.T) {
		w := newWorld(t)
		owners(w)
		w.settings("ben", bot.Settings{SnoozeUntil: at("2026-11-24 20:00")})
		equal(t, "17:00", sent(w.tick("2026-11-24 17:00")), []string{"daily_progress→fiona"})
		equal(t, "17:05", sent(w.tick("2026-11-24 17:05")), nil)
		w.settings("ben", bot.Settings{})
		equal(t, "lifted", sent(w.tick("2026-11-24 17:06")), []string{"daily_progress→ben"})
	})
	t.Run("a snooze: when it ends", func(t *testing.T) {
		w := newWorld(t)
		owners(w)
		w.settings("ben", bot.Settings{SnoozeUntil: at("2026-11-24 17:40")})
		equal(t, "17:00", sent(w.tick("2026-11-24 17:00")), []string{"daily_progress→fiona"})
		equal(t, "17:39", sent(w.tick("2026-11-24 17:39")), nil)
		equal(t, "17:40", sent(w.tick("2026-11-24 17:40")), []string{"daily_progress→ben"})
	})
	t.Run("leave: suppressed while away, asked when back", func(t *testing.T) {
		w := newWorld(t)
		owners(w)
		w.settings("fiona", bot.Settings{Leave: []bot.Leave{{From: "2026-11-24", To: "2026-11-25"}}})
		equal(t, "24th", sent(w.tick("2026-11-24 17:00")), []string{"daily_progress→ben"})
		equal(t, "25th", sent(w.tick("2026-11-25 17:00")), []string{"daily_progress→ben"})
		equal(t, "26th", sent(w.tick("2026-11-26 17:00")), []string{"daily_progress→ben", "daily_progress→fiona"})
	})
}

func (w *world) settings(p bot.PersonID, s bot.Settings) {
	w.t.Helper()
	if err := w.store.Apply(w.ctx, ws, "", func(tx bot.Tx) error { return tx.SaveSettings(w.ctx, p, s) }); err != nil {
		w.t.Fatal(err)
	}
}

// TestPerPersonTimersSeeEveryCollaboration: the daily request lists a
// person's tasks across collaborations, and the digest counts every
// department at work, though only one collaboration changed since the
// last scan.
func TestPerPersonTimersSeeEveryCollaboration(t *testing.T) {
	w := newWorld(t)
	w.digest = true
	w.sched = w.scheduler(w.store)
	a := w.activate(at("2026-11-20 10:00"))
	w.task(a, "ben", "研发部", at("2026-12-30 18:00"), at("2026-11-20 11:00"))
	b := w.activate(at("2026-11-20 10:00"))
	w.task(b, "ben", "研发部", at("2026-12-30 18:00"), at("2026-11-20 11:00"))
	w.tick("2026-11-23 18:00") // Monday's summaries: both read, nothing more due today
	w.change(b, func(c *bot.Collaboration, _ bot.Tx) error { c.Request.Goal += "!"; return nil })
	w.tick("2026-11-24 16:30") // reads b alone
	equal(t, "17:00", sent(w.tick("2026-11-24 17:00")), []string{"daily_progress→ben"})
	var tasks string
	for _, q := range w.outbox() {
		if q.Notice.Kind == scheduler.DailyProgress {
			tasks = q.Notice.Params["tasks"]
		}
	}
	if want := "COL-1\tT-1"; len(tasks) < len(want) || tasks[:len(want)] != want {
		t.Errorf("ben's request lists %q, want both collaborations' tasks", tasks)
	}
	if n := len(splitLines(tasks)); n != 2 {
		t.Errorf("ben's request lists %d tasks, want 2: %q", n, tasks)
	}
	// The next Monday: the digest, and the weekly boards, untouched since.
	w.tick("2026-11-27 18:00")
	w.change(a, func(c *bot.Collaboration, _ bot.Tx) error { c.Request.Goal += "!"; return nil })
	w.tick("2026-11-30 09:00")
	got := sent(w.tick("2026-11-30 09:30"))
	equal(t, "digest", got, []string{"weekly_digest→bob", "weekly_digest→carol", "weekly_digest→frank",
		"weekly_digest→henry", "weekly_digest→lily"})
	equal(t, "boards", sent(w.tick("2026-11-30 10:00")), []string{"weekly_summary→#", "weekly_summary→#"})
}

func splitLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != '\n' {
			i++
		}
		out = append(out, s[:i])
		if i < len(s) {
			i++
		}
		s = s[i:]
	}
	return out
}

// TestNewPolicyRebuildsIndex: instants noted under one policy are not
// trusted under another — a process started with a shorter
// acknowledgement delay chases what the old one would not have yet.
func TestNewPolicyRebuildsIndex(t *testing.T) {
	w := newWorld(t)
	w.submit(at("2026-11-23 10:00"))
	equal(t, "one business day: not yet", sent(w.tick("2026-11-23 15:00")), nil)
	s := w.scheduler(w.open())
	s.Policy.Acknowledgement.After.N = 0
	s.Policy.Acknowledgement.After.Unit = 0
	s.Policy.Acknowledgement.After.D = 4 * time.Hour
	rep, err := s.Tick(w.ctx, at("2026-11-23 15:01"), false)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "four hours", sent(rep), []string{"ack_reminder→ben", "ack_reminder→fiona"})
}

// TestCatchUpInBatches: a catch-up records in write transactions of at
// most Batch firings, and the outcome is the one-transaction outcome.
func TestCatchUpInBatches(t *testing.T) {
	run := func(batch int) ([]string, *counting) {
		w := newWorld(t)
		for range 3 {
			owners(w)
		}
		w.sched.Batch = batch
		c := w.counted()
		w.tick("2026-11-24 16:00")
		w.tick("2026-11-24 18:00") // down from 16:00: requests missed, summaries sent
		return w.reminders(), c
	}
	want, _ := run(0)
	got, c := run(1)
	equal(t, "in batches of one", got, want)
	for i, n := range c.recorded {
		if n > 1 {
			t.Errorf("write transaction %d recorded %d firings, want at most 1", i, n)
		}
	}
	if _, _, applies := c.take(); applies < 5 {
		t.Errorf("%d write transactions, want one per firing (2 requests, 3 summaries)", applies)
	}
}

// TestDryRunAsksTheLedgerOncePerSlot: 10,000 requests recorded cost one
// question to the ledger, not 10,000.
func TestDryRunAsksTheLedgerOncePerSlot(t *testing.T) {
	w := newWorld(t)
	for range 4 {
		owners(w)
	}
	w.tick("2026-11-24 17:00")
	c := w.counted()
	rep, err := w.sched.Tick(w.ctx, at("2026-11-24 17:05"), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Firings) < 2 || rep.Count(bot.ReminderSent) != 0 {
		t.Errorf("dry run: %d firings, %d new; want the requests, none new", len(rep.Firings), rep.Count(bot.ReminderSent))
	}
	if _, ledger, applies := c.take(); ledger > 2 || applies != 0 {
		t.Errorf("dry run asked the ledger %d times and wrote %d times; want at most 2 and 0", ledger, applies)
	}
}
