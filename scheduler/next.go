package scheduler

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
)

// When a collaboration next needs a look. Due is a function of t only
// through comparisons of t with instants (deadlines, times of day, the
// start of working hours), so evaluate notes, for each collaboration, the
// earliest instant after t at which one of them would turn: until then
// Due's answer for it stays the same unless the collaboration changes
// (which the store's index notices on save) or a snooze is lifted early
// (held firings are looked at every minute). A look too early costs a
// decode; one too late would lose a reminder, so every estimate here errs
// early.

// until reports whether t is before x, noting x as a turning point of
// the collaboration being evaluated.
func (d *due) until(x time.Time) bool {
	if d.t.Before(x) {
		d.soon(x)
		return true
	}
	return false
}

// soon notes that the collaboration being evaluated (every one, when
// none is) needs a look at x.
func (d *due) soon(x time.Time, collabs ...bot.CollabID) {
	if len(collabs) == 0 {
		collabs = []bot.CollabID{d.cur}
	}
	if !x.After(d.t) {
		x = d.t.Truncate(time.Minute).Add(time.Minute)
	}
	for _, c := range collabs {
		if n, ok := d.next[c]; !ok || x.Before(n) {
			d.next[c] = x
		}
	}
}

// recurring notes the timers that come back on their own: the daily
// progress request and summary, the weekly board and digest, and the
// calendar warning, which turn at their next time whatever was decided.
func (d *due) recurring(c *bot.Collaboration, p Policy) {
	if p.DailyProgress.On && underWay(c) {
		d.soon(d.cal.NextBusinessDayAt(d.t, p.DailyProgress.At))
		d.soon(d.cal.NextBusinessDayAt(d.t, p.DailyProgress.SummaryAt))
	}
	if w := p.WeeklySummary; w.On && (c.Status == bot.StatusActive || c.Status == bot.StatusAccepting) {
		d.soon(d.weekday(w.Day, w.At))
	}
}

// workspace notes the turning points of the timers about the workspace,
// for every collaboration: they read them all.
func (d *due) workspace() {
	d.cur = 0
	if w := d.p.WeeklyDigest; w.On {
		d.soon(d.weekday(w.Day, w.At))
	}
	// The calendar warning's years change when the horizon reaches next
	// year and when next year begins.
	local := d.t.In(d.cal.Location())
	next := time.Date(local.Year()+1, 1, 1, 0, 0, 0, 0, d.cal.Location())
	if warn := next.AddDate(0, 0, -calendarHorizon); warn.After(d.t) {
		next = warn
	}
	d.soon(next)
}

// weekday is the first instant after t on the weekday at the time of day:
// no later than a weekly timer's next turn (which waits for a business
// day from that weekday on).
func (d *due) weekday(day time.Weekday, clock time.Duration) time.Time {
	local := d.t.In(d.cal.Location())
	ahead := (int(day) - int(local.Weekday()) + 7) % 7
	at := d.at(local.AddDate(0, 0, ahead), clock)
	if !at.After(d.t) {
		at = d.at(local.AddDate(0, 0, ahead+7), clock)
	}
	return at
}

// held notes the firings that wait: outside working hours until they
// begin; a snoozed one every minute while it is held, since the person
// may lift the snooze (a firing about the workspace at the snooze's end:
// looking every minute would read every collaboration).
func (d *due) held(minute time.Time) {
	for _, f := range d.out {
		collabs := append([]bot.CollabID{f.Collab}, f.Also...)
		switch f.Outcome {
		case bot.ReminderWaiting:
			d.soon(d.cal.WorkingFrom(minute), collabs...)
		case bot.ReminderSnoozed:
			if f.Collab == 0 {
				d.soon(d.s.Settings[f.To].SnoozeUntil, 0)
			} else {
				d.soon(minute.Add(time.Minute), collabs...)
			}
		}
	}
}

// nextLooks is, per collaboration evaluated, when it next needs a look:
// zero for not until it changes.
func (d *due) nextLooks() map[bot.CollabID]time.Time {
	out := make(map[bot.CollabID]time.Time, len(d.s.Collabs))
	all, every := d.next[0]
	for _, c := range d.s.Collabs {
		n, ok := d.next[c.ID]
		if every && (!ok || all.Before(n)) {
			n = all
		}
		out[c.ID] = n
	}
	return out
}

// basis names what the next instants are computed with: the policy and
// the calendar (its business days, working hours and covered years over
// the years around t). The index is rebuilt when it changes — a new
// configuration, a holiday file added — and once a year, as the window
// moves.
func basis(p Policy, cal *calendar.Calendar, t time.Time) string {
	h := sha256.New()
	fmt.Fprintf(h, "%+v|%s|", p, cal.Location())
	loc := cal.Location()
	y := t.In(loc).Year()
	for year := y - 1; year <= y+1; year++ {
		from := time.Date(year, 1, 1, 0, 0, 0, 0, loc)
		if len(cal.Uncovered(from, 0)) > 0 {
			// No holiday file: weekends only, nothing to tell apart (and
			// asking would warn of the missing year).
			fmt.Fprintf(h, "|%d:-", year)
			continue
		}
		fmt.Fprintf(h, "|%d:", year)
		for day := from; day.Year() == year; day = day.AddDate(0, 0, 1) {
			if cal.IsBusinessDay(day) { // working hours within the day
				fmt.Fprintf(h, "%d-%d,", cal.WorkingFrom(day).Unix(), cal.WorkingUntil(day.Add(24*time.Hour-time.Minute)).Unix())
			} else {
				h.Write([]byte("-,"))
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}
