package scheduler_test

import (
	"sort"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/scheduler"
)

// afterNationalDay has carol call a meeting with ben on Thursday
// 2026-10-08 10:00, the first working day after the National Day
// holidays (10-01..10-07): its agenda, 24 h before, falls on a holiday
// and is due the last working day before them, 09-30, an hour before the
// end of work. With agenda false the organiser is nudged instead.
func afterNationalDay(w *world, agenda bool) {
	id := w.activate(at("2026-09-28 10:00"))
	w.quietly(id)
	w.change(id, func(c *bot.Collaboration, tx bot.Tx) error {
		m := bot.Meeting{ID: bot.MeetingID(w.next(tx, bot.KindMeeting)), Kind: bot.MeetingPlanning, Start: at("2026-10-08 10:00"),
			Duration: time.Hour, Attendees: []bot.PersonID{"ben"}}
		if agenda {
			m.Agenda = []string{"排期"}
		}
		return c.ScheduleMeeting(w.dir, w.as("carol"), m, at("2026-09-28 10:30"))
	})
}

// TestAgendaNotHeldPastTheMeeting: an agenda due the evening before a
// holiday reaches a scan a minute late that evening, not the morning of
// the meeting 8 days later; found outside working hours it goes at once
// while the meeting is ahead; once the meeting has begun it is skipped,
// and the ledger says so.
func TestAgendaNotHeldPastTheMeeting(t *testing.T) {
	for _, tc := range []struct {
		name   string
		agenda bool
		steps  []step
	}{
		{"due an hour before the end of work", true, []step{
			{"2026-09-30 16:59", nil},
			{"2026-09-30 17:00", []string{"agenda→ben"}},
			{"2026-10-08 09:00", nil},
		}},
		{"a scan a minute late still sends it that evening", true, []step{
			{"2026-09-30 16:59", nil},
			{"2026-09-30 17:01", []string{"agenda→ben"}},
		}},
		{"found after working hours it goes at once", true, []step{
			{"2026-09-30 16:59", nil},
			{"2026-09-30 18:01", []string{"agenda→ben"}},
			{"2026-10-08 09:00", nil},
		}},
		{"the organiser's nudge too, during the holiday", false, []step{
			{"2026-09-30 16:59", nil},
			{"2026-10-03 11:00", []string{"agenda_missing→carol"}},
			{"2026-10-08 09:00", nil},
		}},
		{"once the meeting has begun it is skipped", true, []step{
			{"2026-09-30 16:59", nil},
			{"2026-10-08 10:01", nil},
			{"2026-10-08 11:00", nil},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			afterNationalDay(w, tc.agenda)
			run(t, w, tc.steps)
		})
	}
	t.Run("the skip is recorded once", func(t *testing.T) {
		w := newWorld(t)
		afterNationalDay(w, true)
		w.tick("2026-09-30 16:59")
		equal(t, "skipped at 10:01", outcomes(w.tick("2026-10-08 10:01"), bot.ReminderSkipped), []string{"agenda→ben"})
		equal(t, "skipped at 11:00", outcomes(w.tick("2026-10-08 11:00"), bot.ReminderSkipped), nil)
	})
}

// outcomes lists the new firings of a report with the outcome, as
// "kind→recipient".
func outcomes(rep scheduler.Report, outcome string) []string {
	var out []string
	for _, f := range rep.Firings {
		if f.New && f.Outcome == outcome {
			out = append(out, f.Timer+"→"+recipient(f.To))
		}
	}
	sort.Strings(out)
	return out
}
