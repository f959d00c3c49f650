package scheduler_test

import (
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/config"
)

// owners sets up an active collaboration in which ben and fiona own open
// tasks, so both are asked for progress every business day.
func owners(w *world) bot.CollabID {
	id := w.activate(at("2026-11-23 10:30"))
	w.task(id, "ben", "研发部", at("2026-12-30 18:00"), at("2026-11-23 11:00"))
	w.task(id, "fiona", "财务部", at("2026-12-30 18:00"), at("2026-11-23 11:00"))
	return id
}

func summaryOf(t *testing.T, w *world) map[string]string {
	t.Helper()
	for _, q := range w.outbox() {
		if q.Notice.Kind == "progress_summary" {
			return q.Notice.Params
		}
	}
	t.Fatal("no progress summary in the outbox")
	return nil
}

func TestCatchUpWithinGraceSends(t *testing.T) {
	w := newWorld(t)
	owners(w)
	w.tick("2026-11-24 16:30")
	// down from 16:30 to 17:20
	equal(t, "first tick after the downtime", sent(w.tick("2026-11-24 17:20")), []string{"daily_progress→ben", "daily_progress→fiona"})
	equal(t, "next tick", sent(w.tick("2026-11-24 17:21")), nil)
}

func TestCatchUpAfterGraceSkipsAndSummaryTells(t *testing.T) {
	w := newWorld(t)
	owners(w)
	w.tick("2026-11-24 16:30")
	// down from 16:30 to 20:00: too late to ask for "today's" progress.
	rep := w.tick("2026-11-24 20:00")
	equal(t, "sent", sent(rep), []string{"progress_summary→carol"})
	if n := rep.Count(bot.ReminderMissed); n != 2 {
		t.Errorf("missed = %d, want 2", n)
	}
	p := summaryOf(t, w)
	if p["not_asked"] != "ben:missed,fiona:missed" || p["missing"] != "" {
		t.Errorf("summary = %v, want ben and fiona not asked", p)
	}
	// Nothing is sent late on a later tick either.
	equal(t, "later", sent(w.tick("2026-11-24 21:00")), nil)
	for _, q := range w.outbox() {
		if q.Notice.Kind == "daily_progress" {
			t.Errorf("a missed request was queued: %+v", q.Notice)
		}
	}
}

func TestSnoozeHoldsAndLeaveSuppresses(t *testing.T) {
	w := newWorld(t)
	id := owners(w)
	if err := w.store.Apply(w.ctx, ws, "", func(tx bot.Tx) error {
		if err := tx.SaveSettings(w.ctx, "ben", bot.Settings{SnoozeUntil: at("2026-11-24 18:30")}); err != nil {
			return err
		}
		return tx.SaveSettings(w.ctx, "fiona", bot.Settings{Leave: []bot.Leave{{From: "2026-11-24", To: "2026-11-25"}}})
	}); err != nil {
		t.Fatal(err)
	}
	rep := w.tick("2026-11-24 17:00")
	equal(t, "17:00", sent(rep), nil)
	if rep.Count(bot.ReminderSnoozed) != 1 || rep.Count(bot.ReminderSuppressed) != 1 {
		t.Errorf("17:00: snoozed %d, suppressed %d; want 1 and 1", rep.Count(bot.ReminderSnoozed), rep.Count(bot.ReminderSuppressed))
	}
	if rep := w.tick("2026-11-24 17:01"); rep.Count(bot.ReminderSnoozed) != 0 {
		t.Error("a snooze was noted twice")
	}
	equal(t, "18:00", sent(w.tick("2026-11-24 18:00")), []string{"progress_summary→carol"})
	equal(t, "snooze over", sent(w.tick("2026-11-24 18:30")), []string{"daily_progress→ben"})
	equal(t, "fiona back", sent(w.tick("2026-11-26 17:00")), []string{"daily_progress→ben", "daily_progress→fiona"})

	p := summaryOf(t, w)
	if p["missing"] != "ben" || p["not_asked"] != "fiona:suppressed" {
		t.Errorf("summary = %v", p)
	}
	var actions []string
	w.store.View(w.ctx, ws, func(tx bot.Tx) error {
		tl, err := tx.Timeline(w.ctx, id)
		for _, e := range tl {
			if strings.HasPrefix(e.Action, "reminder_") {
				actions = append(actions, e.Action+" "+e.Note)
			}
		}
		return err
	})
	want := []string{"reminder_snoozed @ben 2026-11-24", "reminder_suppressed @fiona 2026-11-24",
		"reminder_sent @carol 2026-11-24", "reminder_sent @ben 2026-11-24",
		"reminder_sent @ben 2026-11-26", "reminder_sent @fiona 2026-11-26"}
	equal(t, "timeline", actions, want)
}

func TestDryRunChangesNothing(t *testing.T) {
	w := newWorld(t)
	owners(w)
	rep, err := w.sched.Tick(w.ctx, at("2026-11-24 17:00"), true)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "would send", sent(rep), []string{"daily_progress→ben", "daily_progress→fiona"})
	equal(t, "outbox after a dry run", w.reminders(), nil)
	equal(t, "real tick", sent(w.tick("2026-11-24 17:00")), []string{"daily_progress→ben", "daily_progress→fiona"})
	rep, _ = w.sched.Tick(w.ctx, at("2026-11-24 17:05"), true)
	equal(t, "dry run after", sent(rep), nil)
}

func TestDailyProgressListsTasksAcrossCollaborations(t *testing.T) {
	w := newWorld(t)
	a := w.activate(at("2026-11-23 10:30"))
	b := w.activate(at("2026-11-23 10:30"))
	w.task(a, "ben", "研发部", at("2026-11-27 18:00"), at("2026-11-23 11:00"))
	w.task(b, "ben", "研发部", at("2026-11-28 18:00"), at("2026-11-23 11:00"))
	equal(t, "17:00", sent(w.tick("2026-11-24 17:00")), []string{"daily_progress→ben"})
	for _, q := range w.outbox() {
		if q.Notice.Kind != "daily_progress" {
			continue
		}
		lines := strings.Split(q.Notice.Params["tasks"], "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "COL-1\tT-1\t") || !strings.HasPrefix(lines[1], "COL-2\tT-2\t") {
			t.Errorf("tasks = %q", q.Notice.Params["tasks"])
		}
		if due := strings.Split(lines[0], "\t")[4]; due != at("2026-11-27 18:00").UTC().Format(time.RFC3339) {
			t.Errorf("due = %q", due)
		}
	}
}

// TestCalendarMissing: when the holiday calendar ends within 60 days, each
// coordinator of a collaboration in progress is told once, in working
// hours, naming the year; a second scan tells nobody again.
func TestCalendarMissing(t *testing.T) {
	w := newWorld(t)
	cfg, err := config.LoadDemo(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if w.cal, err = cfg.Calendar(quiet()); err != nil { // the shipped calendar: 2026 only
		t.Fatal(err)
	}
	w.sched = w.scheduler(w.store)
	w.activate(at("2026-11-23 10:00"))
	w.submit(at("2026-11-23 10:00")) // carol coordinates both: told once
	equal(t, "Sunday night", onlyCalendar(sent(w.tick("2026-11-22 23:00"))), nil)
	equal(t, "Monday", onlyCalendar(sent(w.tick("2026-11-23 10:30"))), []string{"calendar_missing→carol"})
	equal(t, "again", onlyCalendar(sent(w.tick("2026-11-24 10:30"))), nil)
	for _, q := range w.outbox() {
		if q.Notice.Kind == "calendar_missing" && q.Notice.Params["year"] != "2027" {
			t.Errorf("notice names %q", q.Notice.Params["year"])
		}
	}
}

func onlyCalendar(list []string) []string {
	var out []string
	for _, s := range list {
		if strings.HasPrefix(s, "calendar_missing") {
			out = append(out, s)
		}
	}
	return out
}
