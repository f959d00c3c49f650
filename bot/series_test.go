package bot_test

import (
	"errors"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
)

// days2026 is a Monday–Friday 09:00–18:00 calendar with 2026's National
// Day holiday (10-01..10-07) and its 调休 working Saturday, 10-10.
func days2026(t *testing.T) *calendar.Calendar {
	t.Helper()
	var hol []calendar.Day
	for d := 1; d <= 7; d++ {
		hol = append(hol, calendar.Day{Date: time.Date(2026, 10, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), Name: "国庆节"})
	}
	cal, err := calendar.New(calendar.Options{Location: shanghai, Holidays: hol, Makeup: []calendar.Day{{Date: "2026-10-10", Name: "调休"}}})
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

func TestRepeatRefusals(t *testing.T) {
	cal := days2026(t)
	for _, tt := range []struct {
		name  string
		r     bot.Repeat
		start time.Time
		want  string
	}{
		{"every 0 weeks is not a cadence", bot.Repeat{Every: bot.RepeatWeekly, Interval: -1}, day(2), "refuse.series.interval"},
		{"every 13 weeks is not a cadence", bot.Repeat{Every: bot.RepeatWeekly, Interval: 13}, day(2), "refuse.series.interval"},
		{"a weekly meeting on a Saturday", bot.Repeat{Every: bot.RepeatWeekly}, day(5), "refuse.series.weekend"},
		{"outside working hours", bot.Repeat{Every: bot.RepeatDaily}, day(2).Add(10 * time.Hour), "refuse.series.off_hours"},
		{"ending past working hours", bot.Repeat{Every: bot.RepeatDaily}, day(2).Add(7*time.Hour + 30*time.Minute), "refuse.series.off_hours"},
		{"no unit", bot.Repeat{}, day(2), "refuse.series.every"},
		{"an end before the start", bot.Repeat{Every: bot.RepeatWeekly, Until: "2026-11-01"}, day(2), "refuse.series.until_before"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := at(t, bot.StatusActive)
			err := w.c.MakeRecurring(cal, w.as("amy"), 1, tt.r, tt.start, t0)
			var e *bot.Error
			if !errors.As(err, &e) || e.Msg.Key != tt.want {
				t.Fatalf("got %v, want %s", err, tt.want)
			}
		})
	}
}

func TestOccurrencesAroundNationalDay(t *testing.T) {
	cal := days2026(t)
	wed := time.Date(2026, 9, 23, 10, 0, 0, 0, shanghai)
	for _, tt := range []struct {
		rule bot.HolidayRule
		want []string
	}{
		{bot.HolidaySkip, []string{"M-1#2026-09-30", "M-1#2026-10-07 skipped", "M-1#2026-10-14"}},
		{bot.HolidayMove, []string{"M-1#2026-09-30", "M-1#2026-10-08", "M-1#2026-10-14"}},
	} {
		m := &bot.Meeting{ID: 1, Start: wed, Duration: time.Hour, Repeat: &bot.Repeat{Every: bot.RepeatWeekly, Interval: 1, OnHoliday: tt.rule}}
		var got []string
		for _, o := range m.OccurrencesBetween(cal, wed.AddDate(0, 0, 7), wed.AddDate(0, 0, 21)) {
			s := o.Ref()
			if o.Skipped {
				s += " skipped"
			}
			got = append(got, s)
		}
		if len(got) != len(tt.want) {
			t.Fatalf("%s: got %v, want %v", tt.rule, got, tt.want)
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Fatalf("%s: got %v, want %v", tt.rule, got, tt.want)
			}
		}
		if next := m.Upcoming(cal, wed.AddDate(0, 0, 7).Add(time.Hour)); next == nil || next.Ref() != tt.want[1] && tt.rule == bot.HolidayMove {
			t.Errorf("%s: upcoming after 09-30 is %v", tt.rule, next)
		}
	}
	// Every two weeks from 09-23: 10-07 (a holiday), 10-21.
	m := &bot.Meeting{ID: 2, Start: wed, Duration: time.Hour, Repeat: &bot.Repeat{Every: bot.RepeatWeekly, Interval: 2, OnHoliday: bot.HolidaySkip}}
	if next := m.Upcoming(cal, wed.Add(time.Hour)); next == nil || next.Ref() != "M-2#2026-10-21" {
		t.Errorf("fortnightly upcoming: %v", next)
	}
}

func TestCancelOccurrenceAndSeries(t *testing.T) {
	cal := days2026(t)
	w := at(t, bot.StatusActive)
	w.must(w.c.MakeRecurring(cal, w.as("amy"), 1, bot.Repeat{Every: bot.RepeatDaily}, time.Time{}, t0))
	m, _ := w.c.Meeting(1)
	if err := w.c.CancelOccurrence(cal, w.as("ben"), 1, "2026-11-25", "", t0); bot.ErrorCode(err) != bot.CodeForbidden {
		t.Errorf("an attendee cancelled an occurrence: %v", err)
	}
	if err := w.c.CancelOccurrence(cal, w.as("amy"), 1, "2026-11-28", "", t0); bot.ErrorCode(err) != bot.CodeNotFound {
		t.Errorf("a Saturday stand-up was found: %v", err)
	}
	w.must(w.c.CancelOccurrence(cal, w.as("amy"), 1, "2026-11-25", "外出", t0))
	if err := w.c.CancelOccurrence(cal, w.as("amy"), 1, "2026-11-25", "", t0); bot.ErrorCode(err) != bot.CodeWrongState {
		t.Errorf("cancelled twice: %v", err)
	}
	if next := m.Upcoming(cal, day(1).Add(time.Hour)); next == nil || next.Ref() != "M-1#2026-11-26" {
		t.Errorf("after the cancelled 11-25 the next is %v", next)
	}
	w.must(w.c.CancelMeeting(w.as("amy"), 1, "项目调整", day(2)))
	if next := m.Upcoming(cal, day(2)); next != nil {
		t.Errorf("the series ended, yet %s is next", next.Ref())
	}
	if len(m.Occurrences) != 1 || !m.Occurrences[0].Cancelled {
		t.Errorf("stored occurrences: %+v", m.Occurrences)
	}
}

// BenchmarkUpcomingDaily is what a scan pays per stand-up series for its
// next turning point.
func BenchmarkUpcomingDaily(b *testing.B) {
	var hol []calendar.Day
	for d := 1; d <= 7; d++ {
		hol = append(hol, calendar.Day{Date: time.Date(2026, 10, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)})
	}
	cal, err := calendar.New(calendar.Options{Location: shanghai, Holidays: hol})
	if err != nil {
		b.Fatal(err)
	}
	m := &bot.Meeting{ID: 1, Start: time.Date(2026, 3, 2, 9, 30, 0, 0, shanghai), Duration: 15 * time.Minute,
		Repeat: &bot.Repeat{Every: bot.RepeatDaily, OnHoliday: bot.HolidaySkip}}
	now := time.Date(2026, 9, 30, 12, 0, 0, 0, shanghai)
	for b.Loop() {
		if m.Upcoming(cal, now) == nil {
			b.Fatal("no next stand-up")
		}
	}
}
