package scheduler_test

import (
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// weeklyAcrossNationalDay has carol run a weekly Wednesday 10:00 meeting
// with ben from 2026-09-23, holidays handled by rule: 2026-10-07, a
// Wednesday, is in the National Day holiday (10-01..10-07; 09-20 and
// 10-10 are 调休 working weekend days).
func weeklyAcrossNationalDay(w *world, rule bot.HolidayRule) bot.CollabID {
	id := w.activate(at("2026-09-21 10:00"))
	w.quietly(id)
	w.change(id, func(c *bot.Collaboration, tx bot.Tx) error {
		mid := bot.MeetingID(w.next(tx, bot.KindMeeting))
		if err := c.ScheduleMeeting(w.dir, w.as("carol"), bot.Meeting{ID: mid, Kind: bot.MeetingWeekly, Start: at("2026-09-23 10:00"),
			Duration: 30 * time.Minute, Attendees: []bot.PersonID{"ben"}, Agenda: []string{"周进展"}}, at("2026-09-21 10:30")); err != nil {
			return err
		}
		return c.MakeRecurring(w.cal, w.as("carol"), mid, bot.Repeat{Every: bot.RepeatWeekly, OnHoliday: rule}, time.Time{}, at("2026-09-21 10:30"))
	})
	return id
}

// meetingSent is sent, restricted to the meeting timers.
func meetingSent(w *world, s string) []string {
	var out []string
	for _, f := range sent(w.tick(s)) {
		if strings.HasPrefix(f, "agenda") || strings.HasPrefix(f, "minutes_reminder") {
			out = append(out, f)
		}
	}
	return out
}

func TestWeeklyMeetingAcrossNationalDay(t *testing.T) {
	for _, tt := range []struct {
		rule  bot.HolidayRule
		steps []step
	}{
		{bot.HolidaySkip, []step{
			{"2026-09-22 10:00", []string{"agenda→ben"}}, // 09-23's agenda, 24 h before
			{"2026-09-23 12:30", []string{"minutes_reminder→carol"}},
			{"2026-09-29 10:00", []string{"agenda→ben"}},
			{"2026-09-30 12:30", []string{"minutes_reminder→carol"}},
			{"2026-09-30 18:00", nil}, // 10-07 is skipped: no agenda
			{"2026-10-06 10:00", nil}, // a holiday: nothing
			{"2026-10-07 12:30", nil},
			{"2026-10-08 12:30", nil},
			{"2026-10-13 10:00", []string{"agenda→ben"}},
			{"2026-10-14 12:30", []string{"minutes_reminder→carol"}},
		}},
		{bot.HolidayMove, []step{
			{"2026-09-23 12:30", []string{"minutes_reminder→carol"}},
			{"2026-09-29 10:00", []string{"agenda→ben"}},
			{"2026-09-30 12:30", []string{"minutes_reminder→carol"}},
			// 10-07 moves to Thursday 10-08 10:00; its agenda, due on a
			// holiday, goes the last working day before, an hour before
			// the end of work: 09-30 17:00.
			{"2026-09-30 17:00", []string{"agenda→ben"}},
			{"2026-10-06 10:00", nil},
			{"2026-10-07 10:00", nil},
			{"2026-10-08 12:30", []string{"minutes_reminder→carol"}},
			{"2026-10-13 10:00", []string{"agenda→ben"}},
			{"2026-10-14 12:30", []string{"minutes_reminder→carol"}},
		}},
	} {
		t.Run(string(tt.rule), func(t *testing.T) {
			w := newWorld(t)
			weeklyAcrossNationalDay(w, tt.rule)
			for _, s := range tt.steps {
				equal(t, "tick at "+s.at, meetingSent(w, s.at), s.want)
			}
		})
	}
}

// Cancelling one occurrence silences its timers only; ending the series
// silences the rest.
func TestSeriesCancelled(t *testing.T) {
	w := newWorld(t)
	id := weeklyAcrossNationalDay(w, bot.HolidaySkip)
	w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
		return c.CancelOccurrence(w.cal, w.as("carol"), 1, "2026-09-30", "国庆前调整", at("2026-09-24 10:00"))
	})
	for _, s := range []step{
		{"2026-09-23 12:30", []string{"minutes_reminder→carol"}},
		{"2026-09-29 10:00", nil},
		{"2026-09-30 12:30", nil},
		{"2026-10-13 10:00", []string{"agenda→ben"}},
	} {
		equal(t, "tick at "+s.at, meetingSent(w, s.at), s.want)
	}
	w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
		return c.CancelMeeting(w.as("carol"), 1, "项目调整", at("2026-10-13 11:00"))
	})
	for _, s := range []step{
		{"2026-10-14 12:30", nil},
		{"2026-10-20 10:00", nil},
		{"2026-10-21 12:30", nil},
	} {
		equal(t, "tick at "+s.at, meetingSent(w, s.at), s.want)
	}
}

// A daily stand-up meets on business days only: not during the holiday,
// but on 10-10, a Saturday worked in exchange (调休).
func TestDailyStandUpOnBusinessDays(t *testing.T) {
	w := newWorld(t)
	m := &bot.Meeting{ID: 1, Start: at("2026-09-29 09:30"), Duration: 15 * time.Minute,
		Repeat: &bot.Repeat{Every: bot.RepeatDaily, OnHoliday: bot.HolidaySkip}}
	var days []string
	for _, o := range m.OccurrencesBetween(w.cal, at("2026-09-29 00:00"), at("2026-10-11 23:59")) {
		days = append(days, o.Start.In(shanghai).Format("01-02 15:04"))
	}
	equal(t, "stand-ups", days, []string{"09-29 09:30", "09-30 09:30", "10-08 09:30", "10-09 09:30", "10-10 09:30"})
}

// The next-due index knows a series' next turning point: between the
// occurrences a scan decodes nothing, and at the next agenda it decodes
// the collaboration and sends it.
func TestSeriesInNextDueIndex(t *testing.T) {
	w := newWorld(t)
	weeklyAcrossNationalDay(w, bot.HolidaySkip)
	w.tick("2026-09-30 12:30")
	w.tick("2026-09-30 18:00")      // the minutes escalated
	w.sched = w.scheduler(w.open()) // a new process: nothing decoded yet
	c := w.counted()
	w.tick("2026-10-09 10:00")
	if n, _, _ := c.take(); n != 0 {
		t.Errorf("between occurrences a scan decoded %d, want 0", n)
	}
	equal(t, "10-13 10:00", meetingSent(w, "2026-10-13 10:00"), []string{"agenda→ben"})
	if n, _, _ := c.take(); n != 1 {
		t.Errorf("at the agenda's time a scan decoded %d, want 1", n)
	}
}
