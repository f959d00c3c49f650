package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

func testReminderLedger(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	rec := func(ws bot.Workspace, r bot.Reminder) (fresh bool) {
		t.Helper()
		if err := s.Apply(ctx, ws, "", func(tx bot.Tx) error {
			var err error
			fresh, err = tx.RecordReminder(ctx, r)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return fresh
	}
	sent := bot.Reminder{Timer: "daily_progress", Entity: "ben", Slot: "2026-11-24T17:00"}
	missed := bot.Reminder{Timer: "daily_progress", Entity: "amy", Slot: "2026-11-24T17:00", Outcome: bot.ReminderMissed}
	steps := []struct {
		ws   bot.Workspace
		r    bot.Reminder
		want bool
	}{
		{"acme", sent, true},
		{"acme", sent, false},
		{"acme", missed, true},
		{"acme", bot.Reminder{Timer: "daily_progress", Entity: "amy", Slot: "2026-11-24T17:00"}, false}, // missed stays missed
		{"other", sent, true}, // another workspace keeps its own ledger
		{"acme", bot.Reminder{Timer: "daily_progress", Entity: "ben", Slot: "2026-11-25T17:00"}, true},
	}
	for i, st := range steps {
		if got := rec(st.ws, st.r); got != st.want {
			t.Errorf("step %d: fresh = %v, want %v", i, got, st.want)
		}
	}
	s.View(ctx, "acme", func(tx bot.Tx) error {
		got, err := tx.Reminders(ctx, "daily_progress", "2026-11-24")
		if err != nil {
			t.Fatal(err)
		}
		outcomes := map[string]string{}
		for _, r := range got {
			outcomes[r.Entity] = r.Outcome
		}
		if want := map[string]string{"ben": bot.ReminderSent, "amy": bot.ReminderMissed}; !reflect.DeepEqual(outcomes, want) {
			t.Errorf("outcomes = %v, want %v", outcomes, want)
		}
		return nil
	})
}

func testSettingsKeepSnoozeAndLeave(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	want := bot.Settings{Lang: bot.English, SnoozeUntil: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC),
		Leave: []bot.Leave{{From: "2026-11-30", To: "2026-12-04"}}}
	if err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error { return tx.SaveSettings(ctx, "ben", want) }); err != nil {
		t.Fatal(err)
	}
	s.View(ctx, "acme", func(tx bot.Tx) error {
		got, err := tx.Settings(ctx, "ben")
		if err != nil || !got.SnoozeUntil.Equal(want.SnoozeUntil) || !reflect.DeepEqual(got.Leave, want.Leave) || got.Lang != bot.English {
			t.Errorf("settings = %+v, %v; want %+v", got, err, want)
		}
		all, err := tx.AllSettings(ctx)
		if err != nil || len(all) != 1 || !all["ben"].OnLeave("2026-12-01") || all["ben"].OnLeave("2026-12-05") {
			t.Errorf("all settings = %+v, %v", all, err)
		}
		return nil
	})
}

func testVersionsPostedAndRecord(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	dir := directory("acme")
	var id bot.CollabID
	if err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		c, err := file(ctx, tx, dir, "one")
		id = c.ID
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		return tx.Record(ctx, bot.TimelineEntry{Collab: id, At: t0, Action: "reminder_sent", Subject: "ack", Note: "@ben"})
	}); err != nil {
		t.Fatal(err)
	}
	s.View(ctx, "acme", func(tx bot.Tx) error {
		v, err := tx.Versions(ctx, bot.StatusAwaitingAck)
		if err != nil || len(v) != 1 || v[id] != 1 {
			t.Errorf("versions = %v, %v", v, err)
		}
		if v, _ := tx.Versions(ctx, bot.StatusActive); len(v) != 0 {
			t.Errorf("active versions = %v", v)
		}
		tl, _ := tx.Timeline(ctx, id)
		if last := tl[len(tl)-1]; last.Action != "reminder_sent" || last.Note != "@ben" {
			t.Errorf("last timeline entry = %+v", last)
		}
		if p, err := tx.Posted(ctx, "2026-11-24"); err != nil || len(p) != 0 {
			t.Errorf("posted = %v, %v", p, err)
		}
		return nil
	})
}
