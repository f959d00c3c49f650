package bot

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// A recurring meeting (例会) is a series: one Meeting whose Repeat holds the
// rule and whose Start is the first occurrence. Its occurrences are
// computed from the rule; one is stored (materialised) in Occurrences only
// once something happens to it — an agenda, minutes, a cancellation — so
// a stand-up that runs for months stores only what it needs. An occurrence
// is named by the series and its date, "M-3#2026-10-07", in chat and in
// the record alike.

// Repeat is the rule of a series.
type Repeat struct {
	Every RepeatUnit `json:"every"`
	// Interval is the number of weeks between two weekly occurrences.
	Interval int `json:"interval,omitempty"`
	// Until is the last date (YYYY-MM-DD) an occurrence may fall on;
	// empty: until the collaboration closes.
	Until string `json:"until,omitempty"`
	// OnHoliday is what becomes of an occurrence that falls on a day off.
	OnHoliday HolidayRule `json:"on_holiday"`
	// Ended is when the series was called off (no occurrence from then on).
	Ended time.Time `json:"ended,omitempty"`
}

// RepeatUnit is how often a series meets.
type RepeatUnit string

const (
	RepeatDaily  RepeatUnit = "daily"  // every business day (站会)
	RepeatWeekly RepeatUnit = "weekly" // on the first occurrence's weekday, every Interval weeks
)

// HolidayRule decides an occurrence that falls on a day off.
type HolidayRule string

const (
	HolidaySkip HolidayRule = "skip" // no meeting that time
	HolidayMove HolidayRule = "move" // on the next business day, same time
)

// ParseHolidayRule reads a workspace's or a person's holiday rule.
func ParseHolidayRule(s string) (HolidayRule, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "skip", "跳过", "取消":
		return HolidaySkip, true
	case "move", "顺延", "延后":
		return HolidayMove, true
	}
	return "", false
}

// Days is what a series needs of the workspace's calendar.
type Days interface {
	Location() *time.Location
	IsBusinessDay(time.Time) bool
	// WorkingFrom is t within working hours, else the next start of them.
	WorkingFrom(time.Time) time.Time
}

// maxInterval bounds "every N weeks": beyond a quarter it is not a
// cadence.
const maxInterval = 12

// Series reports whether the meeting repeats.
func (m *Meeting) Series() bool { return m.Repeat != nil }

// Ref names the meeting, or the occurrence of a series, in chat and in
// the record: by the day it takes place (a moved one by the day it moved
// to; its own date finds it too). Start carries the workspace's zone.
func (m *Meeting) Ref() string {
	if m.On != "" {
		return m.ID.String() + "#" + m.Start.Format(time.DateOnly)
	}
	return m.ID.String()
}

// Moved reports whether a holiday moved the occurrence off its date.
func (m *Meeting) Moved(loc *time.Location) bool {
	return m.On != "" && m.Start.In(loc).Format(time.DateOnly) != m.On
}

// SplitOccurrence reads "M-3#2026-10-07" as the series and the date; a
// plain "M-3" has no date.
func SplitOccurrence(ref string) (series string, on string) {
	series, on, _ = strings.Cut(ref, "#")
	return series, on
}

// MakeRecurring turns a scheduled meeting into a series: the meeting
// becomes its first occurrence, and the rule decides the others.
// start is the first occurrence (zero: the meeting's own time).
func (c *Collaboration) MakeRecurring(days Days, actor Actor, id MeetingID, r Repeat, start, now time.Time) error {
	m, err := c.changeableMeeting(actor, id)
	if err != nil {
		return err
	}
	if m.Series() {
		return Refuse(CodeAlreadyDone, "refuse.series.already", Args{"meeting": id.String()})
	}
	if !start.IsZero() {
		if err := FutureStart(start, now); err != nil {
			return err
		}
		m.Start = start
	}
	if err := checkRepeat(days, m, &r); err != nil {
		return err
	}
	loc := days.Location()
	if r.Every == RepeatDaily && !days.IsBusinessDay(m.Start) {
		// A stand-up starts on the first business day at its time.
		m.Start = nextBusiness(days, m.Start)
	}
	if r.Until != "" && m.Start.In(loc).Format(time.DateOnly) > r.Until {
		return RefuseField(CodeInvalid, "until", "refuse.series.until_before", Args{"until": r.Until})
	}
	m.Repeat = &r
	c.record(now, actor.Person, "series_started", id.String(), m.Start.In(loc).Format("2006-01-02 15:04"))
	c.notify(now, actor.Person, "series_started", id.String(), map[string]string{"start": m.Start.Format(time.RFC3339),
		"every": string(r.Every), "interval": itoa(r.Interval), "until": r.Until}, m.Attendees...)
	return nil
}

func checkRepeat(days Days, m *Meeting, r *Repeat) error {
	switch r.Every {
	case RepeatDaily:
		r.Interval = 0
	case RepeatWeekly:
		if r.Interval == 0 {
			r.Interval = 1
		}
		if r.Interval < 1 || r.Interval > maxInterval {
			return RefuseField(CodeInvalid, "interval", "refuse.series.interval", Args{"max": maxInterval})
		}
		if wd := m.Start.In(days.Location()).Weekday(); wd == time.Saturday || wd == time.Sunday {
			return RefuseField(CodeInvalid, "weekday", "refuse.series.weekend", nil)
		}
	default:
		return RefuseField(CodeInvalid, "every", "refuse.series.every", nil)
	}
	if r.OnHoliday == "" {
		r.OnHoliday = HolidaySkip
	}
	if r.Until != "" {
		if _, err := time.Parse(time.DateOnly, r.Until); err != nil {
			return RefuseField(CodeInvalid, "until", "refuse.date.unreadable", nil)
		}
	}
	// The time of day must be within working hours: checked on the
	// first business day at that time.
	first := nextBusiness(days, m.Start)
	if !days.WorkingFrom(first).Equal(first) || !days.WorkingFrom(first.Add(m.Duration)).Equal(first.Add(m.Duration)) {
		return RefuseField(CodeInvalid, "start", "refuse.series.off_hours", Args{"start": first.In(days.Location()).Format("15:04")})
	}
	return nil
}

// nextBusiness is t, or the same time of day on the next business day.
func nextBusiness(days Days, t time.Time) time.Time {
	for i := 0; i < 60 && !days.IsBusinessDay(t); i++ {
		t = t.In(days.Location()).AddDate(0, 0, 1)
	}
	return t
}

// OccurrencesBetween lists the occurrences of a series whose date falls within
// [from, to] (dates in the calendar's zone): stored ones as stored, the
// others computed. An occurrence a holiday skips is listed with Skipped
// set; a moved one at its new time. The series' end, and the close of the
// collaboration, are the caller's to apply.
func (m *Meeting) OccurrencesBetween(days Days, from, to time.Time) []*Meeting {
	if !m.Series() {
		return nil
	}
	loc := days.Location()
	anchor := m.Start.In(loc)
	y, mo, d := anchor.Date()
	clock := anchor.Sub(time.Date(y, mo, d, 0, 0, 0, 0, loc))
	step := 1
	if m.Repeat.Every == RepeatWeekly {
		step = 7 * m.Repeat.Interval
	}
	day := time.Date(y, mo, d, 0, 0, 0, 0, loc)
	fromDay := from.In(loc).Format(time.DateOnly)
	if from.After(day) {
		// Jump to the occurrence before from (a moved one may land after it).
		gap := int(from.In(loc).Sub(day).Hours()/24) - 7
		if gap > 0 {
			day = day.AddDate(0, 0, gap/step*step)
		}
	}
	var out []*Meeting
	for i := 0; i < 400; i++ {
		on := day.Format(time.DateOnly)
		if day.After(to) || (m.Repeat.Until != "" && on > m.Repeat.Until) {
			break
		}
		next := day.AddDate(0, 0, step)
		at := day.Add(clock)
		if m.Repeat.Every == RepeatDaily && (on < fromDay || !days.IsBusinessDay(at)) {
			day = next
			continue // a stand-up meets on business days only
		}
		o := m.stored(on)
		if o == nil {
			o = &Meeting{ID: m.ID, On: on, Kind: m.Kind, Title: m.Title, Organiser: m.Organiser, Start: at, Duration: m.Duration,
				Attendees: m.Attendees, Agenda: m.Agenda, Materials: m.Materials}
			if !days.IsBusinessDay(at) {
				moved := nextBusiness(days, at)
				if m.Repeat.OnHoliday == HolidayMove && moved.Before(next) {
					o.Start = moved
				} else {
					o.Skipped = true
				}
			}
		}
		if !m.Repeat.Ended.IsZero() && !o.Start.Before(m.Repeat.Ended) && o.Minutes == nil {
			break
		}
		if on >= fromDay || !o.Start.Before(from) {
			out = append(out, o)
		}
		day = next
	}
	return out
}

// StoredOn is the stored occurrence of a series on a date, its own or
// the one it moved to; nil when none is stored.
func (m *Meeting) StoredOn(date string) *Meeting {
	for _, o := range m.Occurrences {
		if o.On == date || o.Start.Format(time.DateOnly) == date {
			return o
		}
	}
	return nil
}

func (m *Meeting) stored(on string) *Meeting {
	for _, o := range m.Occurrences {
		if o.On == on {
			return o
		}
	}
	return nil
}

// Upcoming is the next occurrence of a series that will take place
// (neither skipped nor cancelled) starting after now, if any.
func (m *Meeting) Upcoming(days Days, now time.Time) *Meeting {
	// A fortnight at a time: a stand-up's next is within days, and the
	// walk stops at the first.
	for from := now; from.Before(now.AddDate(0, 0, 7*maxInterval+14)); from = from.AddDate(0, 0, 14) {
		for _, o := range m.OccurrencesBetween(days, from, from.AddDate(0, 0, 14)) {
			if !o.Skipped && !o.Cancelled && o.Start.After(now) {
				return o
			}
		}
	}
	return nil
}

// Occurrence finds the occurrence of series id on a date — its own date
// or the date a holiday moved it to — and stores it, so what happens to
// it is kept. It refuses a date the series does not meet on.
func (c *Collaboration) Occurrence(days Days, id MeetingID, on string) (*Meeting, error) {
	m, err := c.Meeting(id)
	if err != nil {
		return nil, err
	}
	if !m.Series() {
		return nil, Refuse(CodeInvalid, "refuse.series.not_series", Args{"meeting": id.String()})
	}
	day, err := time.ParseInLocation(time.DateOnly, on, days.Location())
	if err != nil {
		return nil, RefuseField(CodeInvalid, "date", "refuse.date.unreadable", nil)
	}
	// A moved occurrence is found from its own date up to a fortnight back.
	for _, o := range m.OccurrencesBetween(days, day.AddDate(0, 0, -14), day.Add(24*time.Hour-time.Second)) {
		if o.On != on && o.Start.In(days.Location()).Format(time.DateOnly) != on {
			continue
		}
		if o.Skipped {
			return nil, Refuse(CodeWrongState, "refuse.series.skipped", Args{"meeting": o.Ref()})
		}
		if m.stored(o.On) == nil {
			o.Attendees = slices.Clone(o.Attendees)
			m.Occurrences = append(m.Occurrences, o)
		}
		return o, nil
	}
	return nil, Refuse(CodeNotFound, "refuse.series.no_such_date", Args{"meeting": id.String(), "date": on})
}

// meetingOrOccurrence is the meeting a ref names: "M-3" or "M-3#2026-10-07".
func (c *Collaboration) meetingOrOccurrence(days Days, id MeetingID, on string, now time.Time) (*Meeting, error) {
	if on == "" {
		m, err := c.Meeting(id)
		if err == nil && m.Series() {
			if days != nil {
				if o := m.Upcoming(days, now.Add(-12*time.Hour)); o != nil {
					return nil, Refuse(CodeWrongState, "refuse.series.which", Args{"meeting": id.String(), "example": o.Ref()})
				}
			}
			return nil, Refuse(CodeWrongState, "refuse.series.which", Args{"meeting": id.String(), "example": id.String() + "#" + m.Start.Format(time.DateOnly)})
		}
		return m, err
	}
	return c.Occurrence(days, id, on)
}

// SetOccurrenceAgenda writes the agenda of one occurrence.
func (c *Collaboration) SetOccurrenceAgenda(days Days, actor Actor, id MeetingID, on string, agenda, materials []string, now time.Time) error {
	if err := c.inPlay(); err != nil {
		return err
	}
	m, err := c.meetingOrOccurrence(days, id, on, now)
	if err != nil {
		return err
	}
	return c.setAgenda(actor, m, agenda, materials, now)
}

// RecordOccurrenceMinutes records the minutes of one occurrence.
func (c *Collaboration) RecordOccurrenceMinutes(days Days, dir *Directory, actor Actor, id MeetingID, on string, decisions []string, actions []ActionItem, risks []Risk, now time.Time) error {
	if err := c.inPlay(); err != nil {
		return err
	}
	m, err := c.meetingOrOccurrence(days, id, on, now)
	if err != nil {
		return err
	}
	return c.recordMinutes(dir, actor, m, decisions, actions, risks, now)
}

// ConfirmOccurrenceMinutes is an attendee's 确认无误 of one occurrence.
func (c *Collaboration) ConfirmOccurrenceMinutes(days Days, actor Actor, id MeetingID, on string, now time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	m, err := c.meetingOrOccurrence(days, id, on, now)
	if err != nil {
		return err
	}
	return c.confirmMinutes(actor, m, now)
}

// CancelOccurrence calls off one occurrence of a series; the others stay.
func (c *Collaboration) CancelOccurrence(days Days, actor Actor, id MeetingID, on, reason string, now time.Time) error {
	if err := c.inPlay(); err != nil {
		return err
	}
	s, err := c.Meeting(id)
	if err != nil {
		return err
	}
	if !c.organises(actor, s) {
		return forbidden("refuse.meeting.only_organiser_cancels", nil)
	}
	if s.Series() && (s.Cancelled || !s.Repeat.Ended.IsZero()) {
		return Refuse(CodeWrongState, "refuse.meeting.no_longer_changes", Args{"meeting": id.String()})
	}
	o, err := c.Occurrence(days, id, on)
	if err != nil {
		return err
	}
	if !now.Before(o.Start) && o.Minutes == nil && !o.Cancelled {
		return Refuse(CodeWrongState, "refuse.meeting.started_or_cancelled", Args{"meeting": o.Ref()})
	}
	return c.cancel(actor, o, reason, now)
}

// EndSeries calls off every occurrence of a series from now on; the
// occurrences held keep their minutes.
func (c *Collaboration) EndSeries(actor Actor, id MeetingID, reason string, now time.Time) error {
	if err := c.inPlay(); err != nil {
		return err
	}
	m, err := c.Meeting(id)
	if err != nil {
		return err
	}
	if !c.organises(actor, m) {
		return forbidden("refuse.meeting.only_organiser_cancels", nil)
	}
	if m.Cancelled || !m.Repeat.Ended.IsZero() {
		return Refuse(CodeWrongState, "refuse.meeting.cancelled_or_minuted", Args{"meeting": id.String()})
	}
	m.Repeat.Ended = now
	if !now.After(m.Start) {
		m.Cancelled = true // not one occurrence took place
	}
	reason = strings.TrimSpace(reason)
	c.record(now, actor.Person, "series_ended", id.String(), reason)
	c.notify(now, actor.Person, "series_ended", id.String(), map[string]string{"reason": reason}, m.Attendees...)
	return nil
}

// Closed reports whether a series holds no more occurrences: called off
// or past its last date.
func (m *Meeting) Closed(loc *time.Location, now time.Time) bool {
	if m.Cancelled || (m.Repeat != nil && !m.Repeat.Ended.IsZero()) {
		return true
	}
	return m.Repeat != nil && m.Repeat.Until != "" && now.In(loc).Format(time.DateOnly) > m.Repeat.Until
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// Held lists the meetings that have their own minutes: every single
// meeting, and each stored occurrence of a series (not the series).
func (c *Collaboration) Held() []*Meeting {
	var out []*Meeting
	for _, m := range c.Meetings {
		if m.Series() {
			out = append(out, m.Occurrences...)
			continue
		}
		out = append(out, m)
	}
	return out
}
